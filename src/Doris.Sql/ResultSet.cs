namespace Doris.Sql;

/// <summary>A text-protocol result: column names and rows of strings (null for SQL NULL).</summary>
public sealed record ResultSet(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    public static ResultSet Empty { get; } = new([], []);

    /// <summary>Index of a column by name, ignoring case (Doris's columns vary by version; read by name, never by position).</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
