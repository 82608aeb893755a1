namespace DataHub.Themes.Spatial;

/// <summary>
/// The words the parser recognises, longest first: the province and city, every county, township and community by its
/// official, standard and colloquial names (<see cref="AdministrativeDivisions.ColloquialNames"/>), and the library's
/// roads and estates. One word may name several things (a community name used in two townships, an estate and a
/// community); the parser settles them by position.
/// </summary>
internal sealed class AddressLexicon
{
    private readonly Dictionary<string, Word> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Word>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public AddressLexicon(AdministrativeDivisions divisions, StandardAddressLibrary library)
    {
        Get("安徽省").Province = true;
        Get("安徽").Province = true;
        Get("合肥市").City = true;
        Get("合肥").City = true;
        foreach (var d in divisions.All)
        {
            Add(d, d.Name, colloquial: false);
            Add(d, d.ShortName, colloquial: false);
            foreach (var name in AdministrativeDivisions.ColloquialNames(d))
            {
                Add(d, name, colloquial: true);
            }
        }

        foreach (var road in library.Roads)
        {
            // A village's 村民小组 (9组) is parsed as a number with its suffix, not as a word.
            if (!char.IsAsciiDigit(road[0]))
            {
                Get(road).Road = road;
            }
        }

        foreach (var estate in library.Estates)
        {
            Get(estate).Estate = estate;
        }

        MaxLength = _words.Keys.Max(k => k.Length);
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int MaxLength { get; }

    /// <summary>The longest word at the start of <paramref name="text"/> (two characters or more), or null.</summary>
    public Word? Longest(ReadOnlySpan<char> text, out int length)
    {
        for (length = Math.Min(MaxLength, text.Length); length >= 2; length--)
        {
            if (_lookup.TryGetValue(text[..length], out var word))
            {
                return word;
            }
        }

        length = 0;
        return null;
    }

    private void Add(Division d, string name, bool colloquial)
    {
        // Keys are in the parser's normal form: 庐阳工业区（林店街道） is read as 庐阳工业区林店街道.
        var word = Get(AddressParser.Normalise(name));
        var list = d.Level switch
        {
            DivisionLevel.County => word.Counties,
            DivisionLevel.Township => word.Townships,
            _ => word.Communities,
        };
        if (!list.Contains(d))
        {
            list.Add(d);
        }

        word.Official |= !colloquial;
    }

    private Word Get(string text)
    {
        if (!_words.TryGetValue(text, out var word))
        {
            _words[text] = word = new Word(text);
        }

        return word;
    }

    /// <summary>What one word can be.</summary>
    internal sealed class Word(string text)
    {
        public string Text { get; } = text;

        public bool Province { get; set; }

        public bool City { get; set; }

        public List<Division> Counties { get; } = [];

        public List<Division> Townships { get; } = [];

        public List<Division> Communities { get; } = [];

        public string? Road { get; set; }

        public string? Estate { get; set; }

        /// <summary>An official or standard name of some division.</summary>
        public bool Official { get; set; }

        /// <summary>Only a colloquial name of a division (蜀山, 三里庵), not an official or standard one.</summary>
        public bool Colloquial => !Official && Counties.Count + Townships.Count + Communities.Count > 0;
    }
}
