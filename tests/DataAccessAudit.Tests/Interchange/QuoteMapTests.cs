using System.Text;
using DataAccessAudit.Interchange;

namespace DataAccessAudit.Tests.Interchange;

// The map must mark exactly the quotes, in the vectorised 64-byte blocks and in the tail alike, and refuse a line
// with an escape or a control character anywhere, since then a quote need not end a string.
public sealed class QuoteMapTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void TryMap_LineWithoutEscapes_MarksEveryQuoteAndNextFindsEach(int length)
    {
        var random = new Random(length);
        var line = new byte[length];
        for (var i = 0; i < length; i++)
        {
            line[i] = random.Next(4) == 0 ? (byte)'"' : (byte)random.Next(' ' + 1, 127);
            if (line[i] == (byte)'\\')
            {
                line[i] = (byte)'a';
            }
        }

        var quotes = new ulong[QuoteMap.WordsFor(length)];
        Assert.True(QuoteMap.TryMap(line, quotes));

        var expected = Enumerable.Range(0, length).Where(i => line[i] == (byte)'"').ToList();
        var found = new List<int>();
        for (var at = QuoteMap.Next(quotes, 0); at >= 0; at = QuoteMap.Next(quotes, at + 1))
        {
            found.Add(at);
        }

        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData(3, "\\")]
    [InlineData(3, "\n")]
    [InlineData(3, "\u0001")]
    [InlineData(70, "\\")]
    [InlineData(130, "\t")]
    public void TryMap_LineWithAnEscapeOrControlCharacter_Refuses(int position, string stop)
    {
        var line = Encoding.ASCII.GetBytes(new string('a', 150));
        line[position] = Encoding.ASCII.GetBytes(stop)[0];

        Assert.False(QuoteMap.TryMap(line, new ulong[QuoteMap.WordsFor(line.Length)]));
    }
}
