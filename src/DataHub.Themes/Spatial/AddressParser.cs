using System.Globalization;
using System.Text;

namespace DataHub.Themes.Spatial;

/// <summary>
/// Splits a free-text address into its parts in one pass: full-width characters folded to ASCII and spaces and
/// punctuation dropped, then at each position either a number with its suffix (100号, 3栋/3幢/3号楼/3座/3#, 2单元,
/// 501室, 9组, 5楼 or 5层 as a floor; Chinese numerals 三栋, 二单元), a dashed triple 3-2-501 (building-unit-room), or
/// the longest word of the <see cref="AddressLexicon"/>. Text between recognised parts is kept: before a door number
/// and ending in 路/街/道/巷 it is taken as an unknown road, otherwise it is reported as unparsed.
/// </summary>
internal sealed class AddressParser(AddressLexicon lexicon)
{
    /// <summary>Parses one address.</summary>
    public Tokens Parse(string text)
    {
        var s = Normalise(text);
        var t = new Tokens();
        var pending = new StringBuilder();
        var i = 0;
        while (i < s.Length)
        {
            if (char.IsAsciiDigit(s[i]))
            {
                // Text before a number is settled first: an unknown road makes a bare number its door number.
                Flush(pending, t, beforeDoor: t.Door is null);
            }

            var doorBefore = t.Door is null;
            if (TryNumber(s, i, t, out var next))
            {
                Flush(pending, t, beforeDoor: doorBefore);
                i = next;
                continue;
            }

            var word = lexicon.Longest(s.AsSpan(i), out var length);
            if (word is not null && Place(word, t))
            {
                Flush(pending, t, beforeDoor: t.Door is null);
                i += length;
                continue;
            }

            pending.Append(s[i]);
            i++;
        }

        Flush(pending, t, beforeDoor: t.Door is null);
        return t;
    }

    /// <summary>Full-width ASCII to ASCII, dashes to '-', spaces and punctuation other than '-' and '#' removed.</summary>
    internal static string Normalise(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw;
            c = c is '—' or '–' or '－' or '_' ? '-' : c;
            if (char.IsWhiteSpace(c) || c == '\u3000' || (char.IsPunctuation(c) && c is not '-' and not '#') || char.IsSymbol(c))
            {
                continue;
            }

            b.Append(c);
        }

        return b.ToString();
    }

    private static bool Place(AddressLexicon.Word word, Tokens t)
    {
        // After the road or door number a word is an estate if it can be one; before it, a division first.
        var afterStreet = t.Road is not null || t.Door is not null;
        if (afterStreet && word.Estate is not null && t.Estate is null)
        {
            t.Estate = word.Estate;
            return true;
        }

        if (word.Province && t.Province is null)
        {
            t.Province = word.Text;
            return true;
        }

        if (word.City && t.City is null)
        {
            t.City = word.Text;
            return true;
        }

        // 合裕路 is a road, though 合裕路社区 without 社区 reads the same; but when a second road follows before any
        // door number, the first was the division after all (芜湖路 for 芜湖路街道, then 云谷路).
        if (word.Road is not null && t.Road is not null && t.Door is null && t.RoadWord is { } earlier)
        {
            t.Road = null;
            t.RoadWord = null;
            if (PlaceDivision(earlier, t))
            {
                t.Road = word.Road;
                t.RoadKnown = true;
                return true;
            }

            t.Road = earlier.Road;
            return false;
        }

        if (word.Road is not null && word.Colloquial && t.Road is null && t.Door is null)
        {
            t.Road = word.Road;
            t.RoadKnown = true;
            t.RoadWord = word;
            return true;
        }

        if ((!afterStreet || word.Road is null) && PlaceDivision(word, t))
        {
            return true;
        }

        if (word.Road is not null && t.Road is null && t.Door is null)
        {
            t.Road = word.Road;
            t.RoadKnown = true;
            return true;
        }

        if (word.Estate is not null && t.Estate is null)
        {
            t.Estate = word.Estate;
            return true;
        }

        return false;
    }

    private static bool PlaceDivision(AddressLexicon.Word word, Tokens t)
    {
        if (word.Counties.Count > 0 && t.Counties is null)
        {
            (t.Counties, t.CountyText) = (word.Counties, word.Text);
        }
        else if (word.Townships.Count > 0 && t.Townships is null)
        {
            (t.Townships, t.TownshipText) = (word.Townships, word.Text);
        }
        else if (word.Communities.Count > 0 && t.Communities is null && t.Door is null)
        {
            (t.Communities, t.CommunityText) = (word.Communities, word.Text);
        }
        else
        {
            return false;
        }

        t.Colloquial |= word.Colloquial;
        return true;
    }

    private static void Flush(StringBuilder pending, Tokens t, bool beforeDoor)
    {
        if (pending.Length == 0)
        {
            return;
        }

        var text = pending.ToString();
        pending.Clear();
        if (beforeDoor && t.Road is null && text.Length >= 2 && text[^1] is '路' or '街' or '道' or '巷')
        {
            t.Road = text;
            return;
        }

        if (!beforeDoor && t.Estate is null && t.Building is null && text.Length >= 2)
        {
            t.Estate = text;
            t.EstateUnknown = true;
            return;
        }

        t.Unparsed.Add(text);
    }

    private static bool TryNumber(string s, int start, Tokens t, out int next)
    {
        next = start;
        if (!ReadNumber(s, start, out var value, out var end, out var arabic))
        {
            return false;
        }

        // 3-2-501 (building-unit-room) or 3-501 (building-room) after the door number.
        if (arabic && end < s.Length && s[end] == '-' && t.Door is not null)
        {
            var parts = new List<int> { value };
            var at = end;
            while (at < s.Length && s[at] == '-' && ReadNumber(s, at + 1, out var v, out var e, out var a) && a)
            {
                parts.Add(v);
                at = e;
            }

            if (parts.Count is 2 or 3)
            {
                t.Building ??= parts[0];
                if (parts.Count == 3)
                {
                    t.Unit ??= parts[1];
                }

                t.Room ??= parts[^1];
                next = Skip(s, at, "室", "户", "房");
                return true;
            }
        }

        var rest = s.AsSpan(end);
        if (rest.StartsWith("号楼") || rest.StartsWith("#楼"))
        {
            return Set(ref t.Building, value, end + 2, out next);
        }

        if (rest.StartsWith("单元"))
        {
            return Set(ref t.Unit, value, end + 2, out next);
        }

        if (rest.Length > 0)
        {
            switch (rest[0])
            {
                case '栋' or '幢' or '座' or '#':
                    return Set(ref t.Building, value, end + 1, out next);
                case '室' or '户' or '房':
                    return Set(ref t.Room, value, end + 1, out next);
                case '层':
                    next = end + 1;
                    return true;
                case '楼':
                    if (t.Building is null && !(end + 1 < s.Length && char.IsAsciiDigit(s[end + 1])))
                    {
                        return Set(ref t.Building, value, end + 1, out next);
                    }

                    next = end + 1;
                    return true;
                case '组' when t.Door is null && t.Road is null:
                    t.Road = value.ToString(CultureInfo.InvariantCulture) + "组";
                    t.RoadKnown = true;
                    next = end + 1;
                    return true;
                case '号':
                    if (t.Door is null && t.Building is null)
                    {
                        return Set(ref t.Door, value, end + 1, out next);
                    }

                    return Set(ref t.Building, value, end + 1, out next);
            }
        }

        if (!arabic)
        {
            return false;
        }

        // A bare number: the room after a building, the door number after a road.
        if (t.Building is not null && t.Room is null)
        {
            return Set(ref t.Room, value, end, out next);
        }

        if (t.Road is not null && t.Door is null)
        {
            return Set(ref t.Door, value, end, out next);
        }

        t.Unparsed.Add(s[start..end]);
        next = end;
        return true;
    }

    private static bool Set(ref int? part, int value, int end, out int next)
    {
        part ??= value;
        next = end;
        return true;
    }

    private static int Skip(string s, int at, params string[] words)
    {
        foreach (var w in words)
        {
            if (s.AsSpan(at).StartsWith(w))
            {
                return at + w.Length;
            }
        }

        return at;
    }

    /// <summary>Arabic digits (up to 8), or Chinese numerals up to 999 (十, 二十三, 一百零五, 两).</summary>
    private static bool ReadNumber(string s, int start, out int value, out int end, out bool arabic)
    {
        value = 0;
        end = start;
        arabic = start < s.Length && char.IsAsciiDigit(s[start]);
        if (arabic)
        {
            while (end < s.Length && char.IsAsciiDigit(s[end]) && end - start < 8)
            {
                value = value * 10 + (s[end] - '0');
                end++;
            }

            return true;
        }

        var section = 0;
        var digit = -1;
        while (end < s.Length)
        {
            var c = s[end];
            var d = "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal);
            if (c is '〇' or '两')
            {
                d = c == '两' ? 2 : 0;
            }

            if (d >= 0)
            {
                digit = d;
            }
            else if (c is '十' or '百')
            {
                section += (digit < 0 ? 1 : digit) * (c == '十' ? 10 : 100);
                digit = -1;
            }
            else
            {
                break;
            }

            end++;
        }

        if (end == start)
        {
            return false;
        }

        value = section + Math.Max(digit, 0);
        return true;
    }

    /// <summary>The parts found, as the parser fills them.</summary>
    internal sealed class Tokens
    {
        public string? Province;
        public string? City;
        public List<Division>? Counties;
        public string? CountyText;
        public List<Division>? Townships;
        public string? TownshipText;
        public List<Division>? Communities;
        public string? CommunityText;
        public string? Road;
        public bool RoadKnown;
        public AddressLexicon.Word? RoadWord;
        public int? Door;
        public string? Estate;
        public bool EstateUnknown;
        public int? Building;
        public int? Unit;
        public int? Room;
        public bool Colloquial;
        public List<string> Unparsed { get; } = [];

        public ParsedAddress ToParsed() => new()
        {
            Province = Province,
            City = City,
            County = CountyText,
            Township = TownshipText,
            Community = CommunityText,
            Road = Road,
            DoorNumber = Text(Door),
            Estate = Estate,
            Building = Text(Building),
            Unit = Text(Unit),
            Room = Text(Room),
            Unparsed = Unparsed,
        };

        private static string? Text(int? n) => n?.ToString(CultureInfo.InvariantCulture);
    }
}
