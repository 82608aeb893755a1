using System.Text;
using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Tests;

public sealed class PseudonymizerTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("pseudonymizer-test-key-0123456789");

    [Theory]
    [InlineData(16)]
    [InlineData(9)]
    [InlineData(64)]
    public void Gives_the_same_pseudonyms_as_the_one_shot_hash_from_many_threads(int length)
    {
        using var pseudonyms = new Pseudonymizer(Key, length);
        var values = Enumerable.Range(0, 2000).Select(i => i % 3 == 0 ? new string('长', i) : "WS" + i).Append(string.Empty).ToArray();
        var results = new string?[values.Length];
        Parallel.For(0, values.Length, i => results[i] = pseudonyms.Hash(values[i]));
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(Masks.Hash(values[i], Key, length), results[i]);
            Assert.Equal(length, results[i]!.Length);
        }

        Assert.Null(pseudonyms.Hash(null));
        Assert.NotEqual(pseudonyms.Hash("a"), new Pseudonymizer(Encoding.UTF8.GetBytes("another-key-of-sixteen-bytes"), length).Hash("a"));
        Assert.Throws<ArgumentException>(() => new Pseudonymizer("short"u8, length));
    }
}
