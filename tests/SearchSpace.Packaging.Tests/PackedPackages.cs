using System.Reflection;
using System.Text.Json;

namespace SearchSpaceDsl.Packaging.Tests;

/// <summary>
/// SearchSpaceDsl and SearchSpaceDsl.Kernels packed once for the tests of a class, into a new temporary folder, at a
/// version of their own.
/// </summary>
/// <remarks>
/// <para>
/// Packing uses pack's NoBuild on the outputs that building this test project has just produced (its project reference
/// orders the build), in this test's configuration. A nested build would write into the same bin/ and obj/ folders that
/// the other test projects of a solution-wide <c>dotnet test</c> may still be building from.
/// </para>
/// <para>
/// The version is unique to the run (<c>0.1.0-test-&lt;guid&gt;</c>), so a restore cannot take a stale copy of the package
/// from the global packages folder, and concurrent runs on one machine cannot collide; <see cref="Dispose"/> removes that
/// version from the global packages folder again, along with the temporary folder.
/// </para>
/// </remarks>
public sealed class PackedPackages : IDisposable
{
    /// <summary>Generous: the CI machine has two cores shared with other work.</summary>
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public PackedPackages()
    {
        RepositoryRoot = FindRepositoryRoot();
        Configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? throw new InvalidOperationException("The test assembly has no AssemblyConfigurationAttribute to tell the configuration to pack.");
        Version = $"0.1.0-test-{Guid.NewGuid():N}";
        Root = Path.Combine(Path.GetTempPath(), "SearchSpaceDsl.Packaging.Tests", Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Folder);

        try
        {
            // The kernels first: the runtime's package depends on SearchSpaceDsl.Kernels at the same version.
            Pack("src/Kernels/SearchSpace.Kernels.csproj");
            Pack("src/SearchSpace.Runtime/SearchSpace.Runtime.csproj");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The folder with SearchSpaceDsl.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The configuration this test assembly was built in, and so the one whose outputs are packed.</summary>
    public string Configuration { get; }

    /// <summary>The version of both packages.</summary>
    public string Version { get; }

    /// <summary>This run's temporary folder: the packages, and anything a test puts beside them.</summary>
    public string Root { get; }

    /// <summary>The folder with the .nupkg files, usable as a NuGet source.</summary>
    public string Folder { get; }

    /// <summary>The path of the .nupkg of <paramref name="packageId"/>.</summary>
    public string PackagePath(string packageId) => Path.Combine(Folder, $"{packageId}.{Version}.nupkg");

    /// <summary>Removes the temporary folder and whatever restores extracted of this version into a global packages folder.</summary>
    public void Dispose()
    {
        foreach (var packagesFolder in GlobalPackagesFolders())
        {
            foreach (var id in new[] { "searchspacedsl", "searchspacedsl.kernels" })
                TryDelete(Path.Combine(packagesFolder, id, Version.ToLowerInvariant()));
        }
        TryDelete(Root);
    }

    private void Pack(string project)
    {
        var result = DotNetCli.Run(RepositoryRoot, PackTimeout,
            "pack", project, "-c", Configuration, "--no-build", "-o", Folder,
            $"-p:PackageVersion={Version}",
            // The intermediate .nuspec goes to this run's folder rather than piling up in obj/.
            $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}{Path.DirectorySeparatorChar}",
            "--disable-build-servers", "-tl:off");
        if (!result.Succeeded)
            throw new InvalidOperationException(
                $"Packing {project} failed. The tests pack the {Configuration} build of this test project's references with NoBuild, " +
                $"so build them first (dotnet test does).{Environment.NewLine}{result.Describe()}");
    }

    // Read from the consumers' restore results (project.assets.json names the folder NuGet extracted into), so a
    // NUGET_PACKAGES or globalPackagesFolder setting is honoured; nothing restored means nothing to remove.
    private IEnumerable<string> GlobalPackagesFolders()
    {
        if (!Directory.Exists(Root))
            yield break;
        foreach (var assets in Directory.EnumerateFiles(Root, "project.assets.json", SearchOption.AllDirectories))
        {
            List<string> folders = [];
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(assets));
                if (json.RootElement.TryGetProperty("packageFolders", out var packageFolders))
                    folders.AddRange(packageFolders.EnumerateObject().Select(p => p.Name));
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // A half-written assets file: nothing reliable to clean up after.
            }
            foreach (var folder in folders)
                yield return folder;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Clean-up is best effort: a leftover unique version is never picked by another run.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SearchSpaceDsl.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No SearchSpaceDsl.sln above {AppContext.BaseDirectory}: the tests pack the repository's projects and must run from its build output.");
    }
}
