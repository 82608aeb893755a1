using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DataHub.Quality.Service;

namespace DataHub.Host.Reports;

/// <summary>
/// Renders the monthly bulletin as one self-contained HTML page: tables for every figure, and Apache ECharts
/// (inlined from the npm package) for the trend and the department ranking.
/// </summary>
public static class BulletinHtml
{
    /// <summary>The page for a bulletin; <paramref name="echartsScript"/> is the content of <c>echarts.min.js</c>.</summary>
    public static string Render(Bulletin bulletin, string echartsScript)
    {
        ArgumentNullException.ThrowIfNull(bulletin);
        var c = CultureInfo.InvariantCulture;
        static string H(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        string F(double? value) => value is { } v ? v.ToString("F1", c) : "—";
        var b = new StringBuilder();
        b.Append(c, $$"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>数据质量通报 {{H(bulletin.Month)}}</title>
            <style>
              body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
              @page { size: A4 landscape; margin: 12mm; } @media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
              h1 { margin-bottom: 0.2em; } .overall { font-size: 3em; font-weight: bold; color: #1f6f43; }
              table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
              th { background: #f3f3f3; } .chart { width: 900px; height: 320px; } .up { color: #1f6f43; } .down { color: #b3261e; }
            </style>
            <script>{{echartsScript}}</script></head><body>
            <h1>数据质量通报 · {{H(bulletin.Month)}}</h1>
            <p>全市数据质量总体得分 <span class="overall" id="overall">{{F(bulletin.Overall)}}</span>（GB/T 36344 六维度加权）</p>
            <h2>近12个月趋势</h2><div id="trend" class="chart"></div>
            <h2>部门排名</h2><div id="ranking" class="chart"></div>
            <table id="departments"><tr><th>排名</th><th>部门</th><th>得分</th><th>较上月</th><th>数据集</th><th>分维度</th></tr>
            """);
        foreach (var d in bulletin.Departments)
        {
            var change = d.PreviousOverall is { } p ? d.Score.Overall - p : (double?)null;
            var rankChange = d.PreviousRank is { } r ? r - d.Score.Rank : (int?)null;
            b.Append(c, $"<tr><td>{d.Score.Rank}</td><td>{H(d.Score.Name)}</td><td class=\"score\">{F(d.Score.Overall)}</td>")
             .Append(c, $"<td class=\"{(change >= 0 ? "up" : "down")}\">{(change is null ? "新" : (change >= 0 ? "+" : string.Empty) + F(change))}{(rankChange is null or 0 ? string.Empty : $" (名次{(rankChange > 0 ? "↑" : "↓")}{Math.Abs(rankChange.Value)})")}</td>")
             .Append(c, $"<td>{d.Score.Datasets}</td><td>{H(string.Join("，", d.Score.Dimensions.Select(x => $"{x.Key} {F(x.Value)}")))}</td></tr>\n");
        }

        b.Append("</table>\n<h2>问题最突出的规则</h2><table id=\"worst\"><tr><th>数据集</th><th>规则</th><th>维度</th><th>不合格</th><th>检查</th><th>比例</th><th>示例（已脱敏）</th></tr>\n");
        foreach (var r in bulletin.WorstRules)
        {
            b.Append(c, $"<tr><td>{H(r.Dataset)}</td><td>{H(r.RuleId)}</td><td>{H(r.Dimension)}</td><td>{r.Failed}</td><td>{r.Checked}</td><td>{r.FailedPercent.ToString("F2", c)}%</td><td>{H(string.Join(" | ", r.Examples))}</td></tr>\n");
        }

        b.Append("</table>\n<h2>未按更新周期更新的数据集</h2><ul id=\"missed\">");
        foreach (var dataset in bulletin.MissedUpdateCycle)
        {
            b.Append("<li>").Append(H(dataset)).Append("</li>");
        }

        b.Append("</ul>\n<h2>上月遗留问题</h2><ul id=\"carried\">");
        foreach (var r in bulletin.CarriedOver)
        {
            b.Append("<li>").Append(H($"{r.Dataset} · {r.RuleId}：{r.Failed}/{r.Checked}")).Append("</li>");
        }

        b.Append("</ul>\n<h2>多源比对与一致性问题</h2><table id=\"consistency\"><tr><th>数据集</th><th>规则</th><th>不一致</th><th>检查</th><th>示例（已脱敏）</th></tr>\n");
        foreach (var r in bulletin.Consistency)
        {
            b.Append(c, $"<tr><td>{H(r.Dataset)}</td><td>{H(r.RuleId)}</td><td>{r.Failed}</td><td>{r.Checked}</td><td>{H(string.Join(" | ", r.Examples))}</td></tr>\n");
        }

        b.Append("</table>\n<h2>标准地址关联（一标三实）</h2><table id=\"address-links\"><tr><th>数据集</th><th>规则</th><th>已关联</th><th>未关联</th><th>记录</th><th>关联率</th><th>未关联示例（已脱敏）</th></tr>\n");
        foreach (var r in bulletin.AddressLinks)
        {
            var rate = r.Checked == 0 ? "—" : (100.0 * (r.Checked - r.Failed) / r.Checked).ToString("F2", c) + "%";
            b.Append(c, $"<tr><td>{H(r.Dataset)}</td><td>{H(r.RuleId)}</td><td>{r.Checked - r.Failed}</td><td>{r.Failed}</td><td>{r.Checked}</td><td>{rate}</td><td>{H(string.Join(" | ", r.Examples))}</td></tr>\n");
        }

        b.Append("</table><ul>");
        var trend = JsonSerializer.Serialize(new { months = bulletin.Trend.Select(t => t.Month), values = bulletin.Trend.Select(t => t.Overall) });
        var ranking = JsonSerializer.Serialize(new { names = bulletin.Departments.Select(d => d.Score.Name), values = bulletin.Departments.Select(d => d.Score.Overall) });
        b.Append(c, $$"""
            </ul>
            <script>
              const trend = {{trend}}; const ranking = {{ranking}};
              echarts.init(document.getElementById('trend'), null, { renderer: 'svg' }).setOption({ animation: false,
                xAxis: { type: 'category', data: trend.months }, yAxis: { type: 'value', min: 0, max: 100 },
                series: [{ type: 'line', data: trend.values, connectNulls: true, label: { show: true } }] });
              echarts.init(document.getElementById('ranking'), null, { renderer: 'svg' }).setOption({ animation: false,
                xAxis: { type: 'value', min: 0, max: 100 }, yAxis: { type: 'category', data: ranking.names.slice().reverse() },
                series: [{ type: 'bar', data: ranking.values.slice().reverse(), label: { show: true, position: 'right' } }] });
            </script>
            </body></html>
            """);
        return b.ToString();
    }
}
