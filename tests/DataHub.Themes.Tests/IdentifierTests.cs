using System.Text;
using DataHub.Quality.Functions;
using DataHub.Themes.Identifiers;

namespace DataHub.Themes.Tests;

public sealed class IdentifierTests
{
    // 34010219800101002 + its GB 11643 check character, computed here from the standard's weights.
    private static readonly string Valid = WithCheck("34010219800101002");

    private static string WithCheck(string first17) => first17 + CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(first17));

    [Fact]
    public void A_canonical_number_is_kept_and_reports_no_change()
    {
        var id = ThemeKeys.CitizenId(Valid);
        Assert.Equal(Valid, id.Value);
        Assert.Empty(id.Changes);
    }

    [Fact]
    public void Full_width_digits_spaces_and_zero_width_characters_are_folded()
    {
        var fullWidth = string.Concat(Valid.Select(c => (char)(c - '0' + '０')));
        var id = ThemeKeys.CitizenId(" " + fullWidth[..6] + "\u200B" + fullWidth[6..] + "\u3000");
        Assert.Equal(Valid, id.Value);
        Assert.Contains("full-width", id.Changes);
        Assert.Contains("spaces removed", id.Changes);
    }

    [Fact]
    public void A_lower_case_x_check_character_is_upper_cased()
    {
        // Find a 17-digit stem whose check character is X.
        var stem = Enumerable.Range(0, 1000).Select(i => $"34010219800101{i:000}").First(s => CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(s)) == 'X');
        var id = ThemeKeys.CitizenId(stem + "x");
        Assert.Equal(stem + "X", id.Value);
        Assert.Contains("lower-case x", id.Changes);
    }

    [Fact]
    public void A_15_digit_number_is_upgraded_with_the_century_and_a_computed_check_character()
    {
        var id = ThemeKeys.CitizenId("340102800101002");
        Assert.Equal(Valid, id.Value);
        Assert.Contains("upgraded from 15 digits", id.Changes);
        Assert.False(ThemeKeys.CitizenId("340102801301002").IsValid); // month 13
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("   ", "missing")]
    [InlineData("3401021980010100", "16 characters")]
    [InlineData("34010219800101002A", "check character")]
    [InlineData("3401021980O101002X", "digits")]
    [InlineData("340102198002300021", "impossible birth date")]
    public void Invalid_numbers_say_why(string? raw, string problem)
    {
        var id = ThemeKeys.CitizenId(raw is "340102198002300021" ? WithCheck("34010219800230002") : raw);
        Assert.Null(id.Value);
        Assert.Contains(problem, id.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_check_character_names_the_expected_one()
    {
        var wrong = Valid[..17] + (Valid[17] == '0' ? '1' : '0');
        var id = ThemeKeys.CitizenId(wrong);
        Assert.Equal($"check character is {wrong[17]}, expected {Valid[17]}", id.Problem);
    }

    [Fact]
    public void Credit_codes_are_folded_upper_cased_and_checked()
    {
        var first17 = "91340100MA2N0000" + "1";
        var check = CheckDigits.CreditCodeCheck(Encoding.ASCII.GetBytes(first17))!.Value;
        var code = first17 + check;
        Assert.Equal(code, ThemeKeys.CreditCode(code).Value);
        var messy = ThemeKeys.CreditCode(" " + string.Concat(code.ToLowerInvariant().Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c)));
        Assert.Equal(code, messy.Value);
        Assert.Contains("lower case", messy.Changes);
        Assert.Contains("full-width", messy.Changes);
        Assert.Contains("check character", ThemeKeys.CreditCode(first17 + (check == '0' ? '1' : '0')).Problem, StringComparison.Ordinal);
        Assert.Contains("alphabet", ThemeKeys.CreditCode("91340100MA2N0000I1").Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fast_path_agrees_with_the_full_normaliser()
    {
        var random = new Random(11643);
        for (var i = 0; i < 5000; i++)
        {
            var stem = string.Concat(Enumerable.Range(0, 17).Select(_ => (char)('0' + random.Next(10))));
            stem = i % 3 == 0 ? "3401021985" + stem[10..] : stem;
            var id = i % 7 == 0 ? stem + random.Next(10) : WithCheck(stem);
            var variant = (i % 5) switch { 0 => id.ToLowerInvariant(), 1 => " " + id, 2 => id[..6] + id[8..17], _ => id };
            Assert.Equal(ThemeKeys.CitizenId(variant).Value, ThemeKeys.CanonicalCitizenId(variant));
            var code = "91340100MA2N" + string.Concat(Enumerable.Range(0, 5).Select(_ => "0123456789ABCDEFGHJKLMNPQRTUWXY"[random.Next(31)]));
            var full = code + (i % 4 == 0 ? "0" : CheckDigits.CreditCodeCheck(Encoding.ASCII.GetBytes(code)).ToString());
            Assert.Equal(ThemeKeys.CreditCode(full).Value, ThemeKeys.CanonicalCreditCode(full));
            Assert.Equal(ThemeKeys.CreditCode(full.ToLowerInvariant()).Value, ThemeKeys.CanonicalCreditCode(full.ToLowerInvariant()));
        }
    }
}
