using System.Collections.Frozen;
using System.Globalization;

namespace DataHub.Host.Portal;

/// <summary>
/// The portal's two languages: Chinese (the default; the text in the pages is the key) and English, chosen by
/// <c>?lang=en|zh</c> or the <c>datahub_lang</c> cookie the language toggle sets. A Chinese text without an English
/// entry shows in Chinese.
/// </summary>
public sealed class PortalText
{
    /// <summary>The language cookie.</summary>
    public const string CookieName = "datahub_lang";

    private static readonly FrozenDictionary<string, string> English = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["数据中台"] = "Data Hub",
        ["首页"] = "Home",
        ["搜索"] = "Search",
        ["数据架构"] = "Architecture",
        ["数据资源"] = "Datasets",
        ["申请"] = "Requests",
        ["我的申请"] = "My requests",
        ["待我审批"] = "Awaiting me",
        ["审批"] = "Approvals",
        ["授权"] = "Grants",
        ["质量"] = "Quality",
        ["需求"] = "Demands",
        ["数据需求"] = "Data demands",
        ["管道"] = "Pipelines",
        ["审计"] = "Audit",
        ["登录"] = "Sign in",
        ["退出"] = "Sign out",
        ["用户名"] = "User name",
        ["密码"] = "Password",
        ["用户名或密码不正确。"] = "The user name or password is wrong.",
        ["该用户已停用。"] = "This user is disabled.",
        ["请输入用户名和密码。"] = "Enter your user name and password.",
        ["搜索数据资源、L1–L5 节点、数据元"] = "Search datasets, L1–L5 nodes, data elements",
        ["数据集"] = "Datasets",
        ["L5 属性"] = "L5 attributes",
        ["属性覆盖率"] = "Attribute coverage",
        ["本月质量得分"] = "Quality score this month",
        ["最近的采集"] = "Recent ingestion runs",
        ["等待我处理的申请"] = "Requests waiting for me",
        ["没有等待处理的申请。"] = "Nothing is waiting for you.",
        ["时间"] = "Time",
        ["状态"] = "Status",
        ["读取"] = "Read",
        ["入库"] = "Committed",
        ["隔离"] = "Quarantined",
        ["全部"] = "All",
        ["主题域分组"] = "Subject-area group",
        ["主题域"] = "Subject area",
        ["提供部门"] = "Provider",
        ["分级"] = "Grade",
        ["共享类型"] = "Share type",
        ["无条件共享"] = "Unconditional",
        ["有条件共享"] = "Conditional",
        ["不予共享"] = "Not shareable",
        ["类型"] = "Kind",
        ["编码"] = "Code",
        ["名称"] = "Name",
        ["路径"] = "Path",
        ["有数据"] = "Has data",
        ["无结果。"] = "No results.",
        ["个结果"] = "result(s)",
        ["输入至少一个字。"] = "Type at least one character.",
        ["覆盖率"] = "Coverage",
        ["子节点"] = "Children",
        ["数据元"] = "Data element",
        ["节点"] = "Node",
        ["编目信息"] = "Catalogue entry",
        ["资源代码"] = "Resource code",
        ["摘要"] = "Abstract",
        ["更新周期"] = "Update cycle",
        ["共享条件"] = "Share condition",
        ["开放属性"] = "Open attribute",
        ["敏感级别"] = "Sensitivity",
        ["重要程度"] = "Importance",
        ["发布日期"] = "Published",
        ["行数"] = "Rows",
        ["文件"] = "Files",
        ["结构与 L5 映射"] = "Schema and L5 mapping",
        ["字段"] = "Column",
        ["数据类型"] = "Type",
        ["来源字段"] = "Source field",
        ["L5 属性名"] = "L5 attribute",
        ["级别"] = "Level",
        ["脱敏"] = "Mask",
        ["快照"] = "Snapshots",
        ["预览"] = "Preview",
        ["快照预览"] = "Snapshot preview",
        ["操作"] = "Operation",
        ["新增行"] = "Rows added",
        ["删除行"] = "Rows removed",
        ["提交人"] = "Author",
        ["质量得分"] = "Quality scores",
        ["规则结果"] = "Rule results",
        ["规则"] = "Rule",
        ["维度"] = "Dimension",
        ["检查"] = "Checked",
        ["不通过"] = "Failed",
        ["结果"] = "Outcome",
        ["样例（已脱敏）"] = "Samples (masked)",
        ["趋势"] = "Trend",
        ["血缘"] = "Lineage",
        ["上游"] = "Upstream",
        ["下游"] = "Downstream",
        ["上下游"] = "Both",
        ["层数"] = "Hops",
        ["血缘超过所示层数的部分已折叠，可增加层数展开。"] = "Lineage beyond the hops shown is collapsed; raise the hops to expand.",
        ["采集记录"] = "Pipeline runs",
        ["申请访问"] = "Request access",
        ["尚无质量检查结果。"] = "No quality run yet.",
        ["尚无数据。"] = "No data yet.",
        ["仅本数据的提供部门审批人和数据局管理员可预览。"] = "Only the provider's approvers and the data bureau's administrators may preview.",
        ["申请数据"] = "Request data",
        ["选择字段"] = "Columns",
        ["行过滤条件"] = "Row filter",
        ["运算符"] = "Operator",
        ["取值（逗号分隔）"] = "Values (comma-separated)",
        ["用途"] = "Purpose",
        ["法律依据"] = "Legal basis",
        ["交付方式"] = "Delivery",
        ["接口查询"] = "API query",
        ["导出"] = "Export",
        ["接口查询和导出"] = "Query and export",
        ["核验"] = "Verification",
        ["使用期限"] = "Period of use",
        ["起"] = "From",
        ["止"] = "Until",
        ["提交申请"] = "File the request",
        ["本数据的共享规则"] = "This dataset's sharing rule",
        ["无条件共享：通过合规检查后立即授权。"] = "Unconditional: granted at once after the compliance check.",
        ["有条件共享：由提供部门审批，时限 {0} 个工作日，逾期升级至数据局。"] = "Conditional: the provider decides within {0} working days; overdue requests escalate to the data bureau.",
        ["不予共享：申请将被拒绝。"] = "Not shareable: the request will be refused.",
        ["敏感级别 3 的数据还需数据局二次审批；4 级字段不出平台。"] = "Level-3 data also needs the data bureau's second approval; level-4 columns never leave.",
        ["申请详情"] = "Request",
        ["申请部门"] = "Requesting department",
        ["申请人"] = "Requester",
        ["数据"] = "Dataset",
        ["提交时间"] = "Filed",
        ["截止日期"] = "Due",
        ["剩余工作日"] = "Working days left",
        ["已逾期"] = "Overdue",
        ["审批记录"] = "Decisions",
        ["阶段"] = "Stage",
        ["审批人"] = "Approver",
        ["决定"] = "Decision",
        ["理由"] = "Reason",
        ["同意"] = "Approve",
        ["驳回"] = "Reject",
        ["明文字段"] = "Columns shown in plain",
        ["撤回"] = "Withdraw",
        ["授权编号"] = "Grant",
        ["查看授权"] = "Open grant",
        ["有效期"] = "Valid",
        ["已撤销"] = "Revoked",
        ["有效"] = "Active",
        ["即将到期"] = "Expiring",
        ["已过期"] = "Expired",
        ["撤销"] = "Revoke",
        ["撤销理由"] = "Reason for revoking",
        ["查询"] = "Query",
        ["查询数据"] = "Query the data",
        ["下一页"] = "Next page",
        ["已按分级脱敏"] = "Masked by grade",
        ["导出 CSV"] = "Export CSV",
        ["导出 Parquet"] = "Export Parquet",
        ["交付记录"] = "Deliveries",
        ["部门排名"] = "Department ranking",
        ["排名"] = "Rank",
        ["部门"] = "Department",
        ["综合得分"] = "Overall",
        ["质量通报"] = "Quality bulletins",
        ["月度质量通报"] = "Monthly quality bulletin",
        ["下载 PDF"] = "Download PDF",
        ["隔离区"] = "Quarantine",
        ["重新提交"] = "Re-submit",
        ["行号"] = "Line",
        ["原因"] = "Reason",
        ["原始值"] = "Original values",
        ["来源文件"] = "Source file",
        ["调度"] = "Schedule",
        ["最近运行"] = "Last run",
        ["立即运行"] = "Run now",
        ["审计日志"] = "Audit log",
        ["链校验"] = "Chain verification",
        ["完整"] = "Intact",
        ["已损坏"] = "Broken",
        ["操作人"] = "Actor",
        ["动作"] = "Action",
        ["对象"] = "Target",
        ["发布需求"] = "Post a demand",
        ["标题"] = "Title",
        ["说明"] = "Description",
        ["语言"] = "Language",
        ["必填"] = "required",
        ["已提交"] = "filed",
        ["提供方已同意"] = "approved by provider",
        ["已授权"] = "granted",
        ["已驳回"] = "rejected",
        ["已拒绝"] = "refused",
        ["已撤回"] = "withdrawn",
        ["已升级"] = "escalated",
        ["没有记录。"] = "Nothing recorded.",
        ["第 {0} 行"] = "line {0}",
        ["申请已提交，编号 {0}。"] = "Request {0} filed.",
        ["已保存。"] = "Saved.",
        ["明文"] = "plain",
        ["{0} 条待处理 · {1} 条已重新提交"] = "{0} open · {1} re-submitted",
        ["保留前 {0} 后 {1} 位"] = "keep first {0}, last {1}",
        ["地址截至{0}"] = "address cut at {0}",
        ["乡镇街道"] = "township",
        ["密钥哈希"] = "keyed hash",
        ["遮蔽"] = "redacted",
        ["提供给其他部门的数据"] = "Data provided to other departments",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private PortalText(bool english) => IsEnglishText = english;

    /// <summary>Whether the page is in English.</summary>
    public bool IsEnglishText { get; }

    /// <summary>The language code for <c>&lt;html lang&gt;</c>.</summary>
    public string Code => IsEnglishText ? "en" : "zh-CN";

    /// <summary>The text in the page's language.</summary>
    public string this[string chinese] => IsEnglishText && English.TryGetValue(chinese, out var en) ? en : chinese;

    /// <summary>The text in the page's language with its placeholders filled.</summary>
    public string Format(string chinese, params object?[] values) => string.Format(CultureInfo.InvariantCulture, this[chinese], values);

    /// <summary>The Chinese texts that have no English (for the test that keeps the two in step).</summary>
    public static bool HasEnglish(string chinese) => English.ContainsKey(chinese);

    /// <summary>The language of a request: <c>?lang=</c>, else the cookie, else Chinese.</summary>
    public static bool IsEnglish(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lang = context.Request.Query["lang"].ToString();
        if (lang.Length == 0)
        {
            lang = context.Request.Cookies[CookieName] ?? string.Empty;
        }

        return lang.StartsWith("en", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The text for a request.</summary>
    public static PortalText For(HttpContext context) => new(IsEnglish(context));

    /// <summary>A share type's label.</summary>
    public string ShareType(string type) => this[type switch
    {
        "unconditional" => "无条件共享",
        "conditional" => "有条件共享",
        "not_shareable" => "不予共享",
        _ => type,
    }];

    /// <summary>A request status's label.</summary>
    public string Status(string status) => this[status switch
    {
        "filed" => "已提交",
        "approved_by_provider" => "提供方已同意",
        "granted" => "已授权",
        "rejected" => "已驳回",
        "refused" => "已拒绝",
        "withdrawn" => "已撤回",
        "escalated" => "已升级",
        _ => status,
    }];
}
