using System.Globalization;

namespace DataHub.Host.Cli;

/// <summary>Options after the verb: <c>--name value</c>, <c>--flag</c>, and positional words.</summary>
public sealed class CommandLine
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "help", "no-serve", "no-quality", "all", "dry-run", "keep", "full" };
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    private CommandLine()
    {
    }

    /// <summary>Words that are not options, in order.</summary>
    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses arguments; an option that needs a value and has none is an error.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h")
            {
                line._options["help"] = null;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    line._options[name[..equals]] = name[(equals + 1)..];
                }
                else if (Flags.Contains(name))
                {
                    line._options[name] = null;
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    line._options[name] = args[++i];
                }
                else
                {
                    throw new ArgumentException($"option --{name} needs a value.");
                }
            }
            else
            {
                line._positional.Add(arg);
            }
        }

        return line;
    }

    /// <summary>True when the option or flag was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The option's value, or null.</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>A positive integer option (underscores and commas allowed), or the default.</summary>
    public int PositiveNumber(string name, int defaultValue)
    {
        var value = Value(name);
        if (value is null)
        {
            return defaultValue;
        }

        return int.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new ArgumentException($"--{name} must be a positive whole number, not '{value}'.");
    }
}
