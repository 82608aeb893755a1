using System.Globalization;
using Npgsql;

namespace DataHub.Catalog;

/// <summary>
/// Generates a large synthetic L1–L5 tree for benchmarks and scale tests: one L1 node <c>L1.synthetic</c>, then ten
/// children per node down to L4 and a hundred L5 attributes per L4 entity. Attribute names combine a business term
/// and an attribute word (户籍 + 证件号码 = 户籍证件号码), so a two-character query hits a realistic share of them.
/// Meant for a database of its own, never for the city's catalog.
/// </summary>
public static class SyntheticArchitecture
{
    /// <summary>The code of the generated L1 node.</summary>
    public const string RootCode = "L1.synthetic";

    private static readonly string[] Terms =
    [
        "户籍", "流动人口", "出生", "死亡", "婚姻", "企业", "个体工商户", "社会组织", "事业单位", "建筑物", "房屋", "门牌",
        "小区", "道路", "供水", "燃气", "供热", "公交", "地铁", "学校", "医院", "社保", "医保", "公积金", "税务", "车辆",
        "驾驶人", "不动产", "土地", "规划", "环保", "气象", "水文", "应急", "消防", "市场主体", "食品", "药品", "农业", "林业",
        "旅游", "文化", "体育", "教育", "就业", "养老", "救助", "残疾人", "退役军人", "信用", "行政许可", "行政处罚",
        "监测站", "设备", "项目", "合同", "发票", "账户", "网格", "事件",
    ];

    private static readonly string[] Words =
    [
        "名称", "编号", "代码", "类型", "状态", "日期", "时间", "地址", "联系电话", "负责人", "证件号码", "金额", "数量",
        "面积", "经度", "纬度", "说明", "等级", "来源", "登记机关", "有效期", "审批结果", "备注", "所属区县", "所属街道",
        "标识", "版本", "用途", "规模", "年份", "比例", "单位", "级别", "分类", "更新时间", "创建人", "审核人", "核验结果",
        "排序号", "批次号",
    ];

    /// <summary>Inserts the synthetic tree with the given number of L5 attributes (a migrated database without it).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="attributes">How many L5 attributes (1–10,000,000).</param>
    /// <param name="ct">Cancels the work; nothing is written then.</param>
    /// <returns>How many nodes were inserted on all levels.</returns>
    public static async Task<long> GenerateAsync(NpgsqlDataSource dataSource, int attributes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(attributes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attributes, 10_000_000);
        var entities = (attributes + 99) / 100;
        var objects = (entities + 9) / 10;
        var areas = (objects + 9) / 10;
        const string sql = """
            INSERT INTO datahub.subject_node (level, code, name, description, sensitivity, importance)
            VALUES (1, 'L1.synthetic', '合成数据', '基准测试生成的数据架构', 1, 'general');

            INSERT INTO datahub.subject_node (level, code, name, parent_id, description)
            SELECT 2, format('L2.synthetic.s%s', i), @terms[1 + i % cardinality(@terms)] || '主题' || i, r.id, '合成主题域'
            FROM generate_series(0, @areas - 1) i, (SELECT id FROM datahub.subject_node WHERE code = 'L1.synthetic') r;

            INSERT INTO datahub.subject_node (level, code, name, parent_id, description)
            SELECT 3, format('L3.synthetic.s%s.o%s', i / 10, i), @terms[1 + (i * 7) % cardinality(@terms)] || '对象' || i, p.id, '合成业务对象'
            FROM generate_series(0, @objects - 1) i
            JOIN datahub.subject_node p ON p.code = format('L2.synthetic.s%s', i / 10);

            INSERT INTO datahub.subject_node (level, code, name, parent_id, description)
            SELECT 4, format('L4.synthetic.s%s.o%s.e%s', i / 100, i / 10, i), @terms[1 + (i * 11) % cardinality(@terms)] || '信息' || i, p.id,
                   '合成逻辑实体'
            FROM generate_series(0, @entities - 1) i
            JOIN datahub.subject_node p ON p.code = format('L3.synthetic.s%s.o%s', i / 100, i / 10);

            INSERT INTO datahub.subject_node (level, code, name, parent_id, description, sensitivity, importance)
            SELECT 5, format('L5.synthetic.s%s.o%s.e%s.a%s', i / 10000, i / 1000, i / 100, i),
                   @terms[1 + i % cardinality(@terms)] || @words[1 + (i / cardinality(@terms)) % cardinality(@words)],
                   p.id,
                   p.name || '的' || @words[1 + (i / cardinality(@terms)) % cardinality(@words)],
                   1 + i % 4, (ARRAY['core', 'important', 'general', 'general'])[1 + i % 4]
            FROM generate_series(0, @attributes - 1) i
            JOIN datahub.subject_node p ON p.code = format('L4.synthetic.s%s.o%s.e%s', i / 10000, i / 1000, i / 100);
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter<string[]>("terms", Terms));
        command.Parameters.Add(new NpgsqlParameter<string[]>("words", Words));
        command.Parameters.Add(new NpgsqlParameter<int>("areas", areas));
        command.Parameters.Add(new NpgsqlParameter<int>("objects", objects));
        command.Parameters.Add(new NpgsqlParameter<int>("entities", entities));
        command.Parameters.Add(new NpgsqlParameter<int>("attributes", attributes));
        var inserted = await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        await using var analyze = dataSource.CreateCommand("VACUUM ANALYZE datahub.subject_node");
        await analyze.ExecuteNonQueryAsync(ct);
        return inserted;
    }

    /// <summary>The name the generator gives attribute number <paramref name="index"/> (0-based).</summary>
    /// <param name="index">The attribute's number.</param>
    public static string AttributeName(int index) =>
        string.Concat(Terms[index % Terms.Length], Words[index / Terms.Length % Words.Length]);

    /// <summary>The code the generator gives attribute number <paramref name="index"/> (0-based).</summary>
    /// <param name="index">The attribute's number.</param>
    public static string AttributeCode(int index) => string.Create(
        CultureInfo.InvariantCulture, $"L5.synthetic.s{index / 10000}.o{index / 1000}.e{index / 100}.a{index}");
}
