using DataHub.DuckDb;

namespace DataHub.Pipelines.Tests;

/// <summary>Reads a normalised CSV back the way ingestion does: DuckDB's read_csv, all columns as text.</summary>
internal static class NormalizedCsv
{
    public static (string[] Header, List<string?[]> Rows) Read(string path)
    {
        using var duck = new DuckDbConnection();
        duck.Open();
        using var command = new DuckDbCommand(
            "SELECT * FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')", duck);
        command.Parameters.Add("path", path);
        using var reader = command.ExecuteReader();
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToArray());
        }

        return (header, rows);
    }

    /// <summary>One row as "a|b|∅" for compact assertions.</summary>
    public static string Join(string?[] row) => string.Join("|", row.Select(v => v ?? "∅"));
}
