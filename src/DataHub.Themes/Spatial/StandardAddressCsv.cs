using System.Globalization;

namespace DataHub.Themes.Spatial;

/// <summary>
/// Reads the natural resources bureau's standard address export (<c>samples/address/*.csv</c>: UTF-8, Chinese headers
/// 标准地址编码 … 更新日期, no quoted fields). Rows that a pipeline's gate would quarantine — a wrong number of fields, a
/// blank or '无' division, a code that is not 20 digits, coordinates that are not numbers — are returned as rejections
/// with their line and reason, never silently dropped.
/// </summary>
public static class StandardAddressCsv
{
    private static readonly string[] Headers =
    [
        "标准地址编码", "标准地址全称", "省", "市", "区县", "乡镇街道", "社区村", "街路巷", "门牌号", "小区", "楼栋", "单元", "户室",
        "行政区划代码", "乡镇街道代码", "社区村代码", "经度", "纬度", "地址状态",
    ];

    /// <summary>The columns a usable address needs: 区县, 乡镇街道, 社区村 and their codes.</summary>
    private static readonly int[] Required = [4, 5, 6, 13, 14, 15];

    /// <summary>Reads a file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The addresses read and the rows rejected (<c>line: reason</c>).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The header lacks one of the columns.</exception>
    public static (IReadOnlyList<StandardAddress> Addresses, IReadOnlyList<string> Rejected) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The standard address file {path} does not exist.", path);
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var header = (reader.ReadLine() ?? string.Empty).Split(',');
        var at = new int[Headers.Length];
        for (var i = 0; i < Headers.Length; i++)
        {
            at[i] = Array.IndexOf(header, Headers[i]);
            if (at[i] < 0)
            {
                throw new FormatException($"{path}:1: the header has no column {Headers[i]}.");
            }
        }

        var addresses = new List<StandardAddress>();
        var rejected = new List<string>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var f = text.Split(',');
            string V(int column) => f[at[column]].Trim();
            if (f.Length != header.Length)
            {
                rejected.Add($"{path}:{line}: {f.Length} fields where the header has {header.Length}");
            }
            else if (V(0).Length != 20 || !V(0).All(char.IsAsciiDigit))
            {
                rejected.Add($"{path}:{line}: 标准地址编码 '{V(0)}' is not 20 digits");
            }
            else if (Array.FindIndex(Required, c => V(c) is "" or "无") is var blank and >= 0)
            {
                rejected.Add($"{path}:{line}: {Headers[Required[blank]]} is blank");
            }
            else if (!double.TryParse(V(16), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                || !double.TryParse(V(17), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat))
            {
                rejected.Add($"{path}:{line}: 经度/纬度 '{V(16)}', '{V(17)}' are not numbers");
            }
            else
            {
                addresses.Add(new StandardAddress(V(0), V(1), V(4), V(5), V(6), V(7), V(8), V(9), V(10), V(11), V(12), V(13), V(14), V(15), lon, lat, V(18)));
            }
        }

        return (addresses, rejected);
    }
}
