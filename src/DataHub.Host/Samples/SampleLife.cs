namespace DataHub.Host.Samples;

/// <summary>
/// What happened to the synthetic people and enterprises after their registration, fixed by the seed and their
/// numbers, so that every source that learns of an event learns of the same one: households that moved (the
/// household registration keeps the old address), heads of household who died (not yet struck off the household
/// register), divorces, the outside spouse of a grown-up child, tax statuses that run ahead of the market
/// register, enterprises that moved. Also the ways a source writes the same identifier or name differently.
/// </summary>
internal static class SampleLife
{
    private static readonly DateOnly LastDay = SamplePerson.LastDay;

    /// <summary>Traditional or variant forms of characters of the vocabulary, as older or hand-keyed records write them.</summary>
    private static readonly Dictionary<char, char> Traditional = new()
    {
        ['陈'] = '陳', ['刘'] = '劉', ['张'] = '張', ['杨'] = '楊', ['黄'] = '黃', ['赵'] = '趙', ['吴'] = '吳', ['孙'] = '孫', ['马'] = '馬',
        ['郑'] = '鄭', ['冯'] = '馮', ['邓'] = '鄧', ['谢'] = '謝', ['许'] = '許', ['韩'] = '韓', ['叶'] = '葉', ['苏'] = '蘇', ['吕'] = '呂',
        ['钟'] = '鍾', ['陆'] = '陸', ['贾'] = '賈', ['龙'] = '龍', ['卢'] = '盧', ['蒋'] = '蔣', ['谭'] = '譚', ['韦'] = '韋', ['贺'] = '賀',
        ['顾'] = '顧', ['万'] = '萬', ['罗'] = '羅', ['邹'] = '鄒', ['钱'] = '錢', ['严'] = '嚴', ['汤'] = '湯', ['鲍'] = '鮑', ['凤'] = '鳳',
        ['伟'] = '偉', ['强'] = '強', ['军'] = '軍', ['涛'] = '濤', ['辉'] = '輝', ['鹏'] = '鵬', ['华'] = '華', ['飞'] = '飛', ['凯'] = '凱',
        ['帅'] = '帥', ['宁'] = '寧', ['阳'] = '陽', ['国'] = '國', ['东'] = '東', ['轩'] = '軒', ['泽'] = '澤', ['诚'] = '誠', ['丽'] = '麗',
        ['艳'] = '艷', ['兰'] = '蘭', ['红'] = '紅', ['颖'] = '穎', ['云'] = '雲', ['洁'] = '潔', ['瑶'] = '瑤', ['诗'] = '詩', ['梦'] = '夢',
        ['晓'] = '曉', ['静'] = '靜', ['峰'] = '峯', ['杰'] = '傑', ['刚'] = '剛',
    };

    /// <summary>Households of which 12 % moved after their registration: the new address and the day.</summary>
    public static (SamplePlace Place, DateOnly On)? Moved(ulong seed, SamplePerson head)
    {
        var random = new SampleRandom(seed, 700, (ulong)head.Household);
        if (!random.Chance(0.12))
        {
            return null;
        }

        var place = SampleAddresses.Of(seed).Place(random.NextBits(), 0.8, head.Place.LibraryIndex);
        var earliest = Max(new DateOnly(2021, 1, 1), head.Registered.AddDays(30));
        return earliest >= LastDay.AddDays(-10) ? null : (place, earliest.AddDays(random.Next(LastDay.DayNumber - 10 - earliest.DayNumber)));
    }

    /// <summary>Half the heads of household born before 1962 died in the year to 2026-09-26 (the health commission knows).</summary>
    public static DateOnly? Died(ulong seed, SamplePerson head)
    {
        var random = new SampleRandom(seed, 701, (ulong)head.Household);
        return head.Member == 0 && head.Born < new DateOnly(1962, 1, 1) && random.Chance(0.5)
            ? new DateOnly(2025, 10, 1).AddDays(random.Next(360))
            : null;
    }

    /// <summary>One head couple in ten divorced.</summary>
    public static bool Divorced(ulong seed, long household) => new SampleRandom(seed, 702, (ulong)household).Chance(0.1);

    /// <summary>The day a couple married: both of legal age (22 and 20), from 1981, and where a child is known, 300 days or more before it.</summary>
    public static DateOnly Married(ulong seed, SamplePerson husband, SamplePerson wife, DateOnly? childBorn)
    {
        var random = new SampleRandom(seed, 705, (ulong)Math.Abs(husband.Index) ^ ((ulong)Math.Abs(wife.Index) << 20));
        var legal = Max(Max(husband.Born.AddYears(22), wife.Born.AddYears(20)), new DateOnly(1981, 1, 1));
        var day = legal.AddDays(random.Next(365 * 5));
        if (childBorn is { } born && day > born.AddDays(-300))
        {
            day = Max(legal, born.AddDays(-300 - random.Next(400)));
        }

        return Min(day, LastDay.AddDays(-random.Next(300) - 5));
    }

    /// <summary>The spouse (from another Anhui city) of a household's child of 24 or more; null for younger children.</summary>
    public static SamplePerson? ChildSpouse(ulong seed, SamplePerson child)
    {
        if (child.Member != 2 || child.AgeOn(LastDay) < 24)
        {
            return null;
        }

        var random = new SampleRandom(seed, 704, (ulong)child.Household);
        return SamplePerson.Outsider(seed, 703, child.Household, !child.Male, child.Born.AddDays(random.Between(-1500, 1500)));
    }

    /// <summary>A person's mobile number, the same in every source that has it.</summary>
    public static string Mobile(ulong seed, long person)
    {
        var random = new SampleRandom(seed, 706, (ulong)person);
        return "1" + (char)('3' + random.Next(7)) + random.Next(1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The name with its last character that has a traditional (or variant) form in that form; unchanged if none has.</summary>
    public static string TraditionalName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (Traditional.TryGetValue(chars[i], out var t))
            {
                chars[i] = t;
                return new string(chars);
            }
        }

        return name;
    }

    /// <summary>A three-character name without its middle character (a clerk's omission); shorter names unchanged.</summary>
    public static string WithoutMiddle(string name) => name.Length == 3 ? string.Concat(name.AsSpan(0, 1), name.AsSpan(2)) : name;

    /// <summary>An ID number with a lower-case x for its check character X.</summary>
    public static string LowerX(string id) => id.EndsWith('X') ? string.Concat(id.AsSpan(0, id.Length - 1), "x") : id;

    /// <summary>Full-width digits and letters (０-９, Ｘ) as a Chinese input method types them.</summary>
    public static string FullWidth(string text) =>
        string.Create(text.Length, text, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = t[i] is >= '!' and <= '~' ? (char)(t[i] - '!' + '！') : t[i];
            }
        });

    /// <summary>
    /// The tax office's status of an enterprise and since when: 注销 before the market register's own 注销 (the tax
    /// deregistration comes first), and for 7 % of the enterprises still active in the market register a tax
    /// deregistration the market register does not have yet; 非正常 for revoked ones and 5 % of the rest.
    /// </summary>
    public static (string Status, DateOnly? Since) TaxStatus(ulong seed, SampleEnterprise enterprise)
    {
        var random = new SampleRandom(seed, 720, (ulong)enterprise.Index);
        var draw = random.Next(100);
        (string Status, DateOnly? Since) result = enterprise.Status switch
        {
            "注销" => ("注销", enterprise.Approved.AddDays(-random.Between(10, 60))),
            "迁出" => ("注销", enterprise.Approved.AddDays(-random.Between(5, 30))),
            "吊销" => ("非正常", enterprise.Approved.AddDays(-random.Between(60, 400))),
            _ when draw < 7 => ("注销", LastDay.AddDays(-random.Between(10, 180))),
            _ when draw < 12 => ("非正常", LastDay.AddDays(-random.Between(30, 700))),
            _ => ("正常", null),
        };
        return result.Since is { } since ? (result.Status, Min(Max(since, enterprise.Established.AddDays(30)), LastDay)) : result;
    }

    /// <summary>One enterprise in ten moved its business address after the market register's last approval; the tax office knows.</summary>
    public static (SamplePlace Place, DateOnly On)? EnterpriseMoved(ulong seed, SampleEnterprise enterprise)
    {
        var random = new SampleRandom(seed, 721, (ulong)enterprise.Index);
        if (!random.Chance(0.1) || enterprise.Closed || enterprise.Approved >= LastDay.AddDays(-40))
        {
            return null;
        }

        var from = enterprise.Approved.AddDays(30);
        return (SampleAddresses.Of(seed).Place(random.NextBits(), 0.8, enterprise.Place.LibraryIndex), from.AddDays(random.Next(LastDay.DayNumber - 5 - from.DayNumber)));
    }

    public static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    public static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
