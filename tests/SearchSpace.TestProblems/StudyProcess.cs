using SearchSpaceDsl.Search;

namespace SearchSpaceDsl.TestProblems;

/// <summary>The study the kill test runs in a child process, and the same study in the test's own process for comparison.</summary>
public static class StudyProcess
{
    /// <summary>Opens the ZDT1 study at <paramref name="path"/> whose first objective sleeps 1 to 3 times <paramref name="sleepMs"/>.</summary>
    public static Study<Zdt1> Open(string path, int sleepMs) => Study<Zdt1>.Open(path,
        Objective<Zdt1>.Minimize("f1", a =>
        {
            Thread.Sleep(sleepMs * (1 + (a.X2 + a.X3 + a.X1) % 3));
            return Zdt1.Evaluate(a)[0];
        }),
        Objective<Zdt1>.Minimize("f2", a => Zdt1.Evaluate(a)[1]));
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (the built-in one posts to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
