using ILGPU;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// A row-major matrix in accelerator memory: <see cref="Rows"/> × <see cref="Columns"/> elements, row <c>r</c> starting
/// at <c>r·RowStride</c> of <see cref="Data"/>. A max-size weight is one such matrix; a kernel reads a slice of it (its
/// first rows and columns) through the stride, never a copy.
/// </summary>
public readonly record struct DeviceMatrix
{
    /// <summary>A matrix over <paramref name="data"/>; checks that every element lies inside the view.</summary>
    /// <param name="data">The elements; row <c>r</c> starts at <c>r·rowStride</c>.</param>
    /// <param name="rows">The number of rows, at least 1.</param>
    /// <param name="columns">The number of columns, at least 1.</param>
    /// <param name="rowStride">The distance between rows in elements, at least <paramref name="columns"/>; 0 means
    /// <paramref name="columns"/> (dense).</param>
    /// <exception cref="ArgumentException">A size is below 1, the stride is below the columns, or the last element lies
    /// beyond the view.</exception>
    public DeviceMatrix(ArrayView<float> data, int rows, int columns, int rowStride = 0)
    {
        if (rowStride == 0)
            rowStride = columns;
        if (rows < 1 || columns < 1)
            throw new ArgumentException($"A matrix needs at least one row and one column, got {rows} × {columns}.");
        if (rowStride < columns)
            throw new ArgumentException($"The row stride {rowStride} is below the {columns} columns.", nameof(rowStride));
        long needed = (long)(rows - 1) * rowStride + columns;
        if (needed > data.Length)
            throw new ArgumentException(
                $"A {rows} × {columns} matrix with row stride {rowStride} needs {needed} elements; the view has {data.Length}.",
                nameof(data));
        if (needed > int.MaxValue)
            throw new ArgumentException($"A {rows} × {columns} matrix with row stride {rowStride} is beyond 32-bit indexing.");
        Data = data;
        Rows = rows;
        Columns = columns;
        RowStride = rowStride;
    }

    /// <summary>The elements.</summary>
    public ArrayView<float> Data { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The distance between rows in elements.</summary>
    public int RowStride { get; }

    /// <summary>
    /// The columns <c>[start, start + count)</c> of every row, a view with the same row stride (e.g. the key block of a
    /// fused query/key/value projection output).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The columns lie outside the matrix.</exception>
    public DeviceMatrix SliceColumns(int start, int count)
    {
        if (start < 0 || count < 1 || start + count > Columns)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"Columns {start} … {start + count - 1} lie outside the matrix's {Columns} columns.");
        long length = (long)(Rows - 1) * RowStride + count;
        return new DeviceMatrix(Data.SubView(start, length), Rows, count, RowStride);
    }

    /// <summary>The first <paramref name="count"/> rows, a view.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1 or beyond <see cref="Rows"/>.</exception>
    public DeviceMatrix SliceRows(int count)
    {
        if (count < 1 || count > Rows)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows 0 … {count - 1} lie outside the matrix's {Rows} rows.");
        return new DeviceMatrix(Data, count, Columns, RowStride);
    }

    /// <inheritdoc />
    public override string ToString() => $"[{Rows} × {Columns}, row stride {RowStride}]";
}
