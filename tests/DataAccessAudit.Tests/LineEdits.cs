namespace DataAccessAudit.Tests;

// Seeded random edits of JSON lines, for the property tests that hold a fast reader to the reader it must agree
// with: one to three edits a line, each a byte of the alphabet put in place of one or inserted, a byte removed, or an
// arbitrary byte put in place of one; with tokens, also a run of the line copied elsewhere (duplicate, moved and
// misplaced members) and a token put in place of up to seven bytes.
internal sealed class LineEdits(int seed, byte[] alphabet, IReadOnlyList<byte[]>? tokens = null)
{
    private readonly Random _random = new(seed);

    // An edited copy of one of the lines, chosen at random.
    public byte[] Next(IReadOnlyList<byte[]> lines)
    {
        var line = lines[_random.Next(lines.Count)].ToList();
        for (var edits = _random.Next(1, 4); edits > 0; edits--)
        {
            var at = _random.Next(line.Count);
            switch (_random.Next(tokens is null ? 4 : 6))
            {
                case 0:
                    line[at] = alphabet[_random.Next(alphabet.Length)];
                    break;
                case 1:
                    line.Insert(at, alphabet[_random.Next(alphabet.Length)]);
                    break;
                case 2:
                    line.RemoveAt(at);
                    break;
                case 3:
                    line[at] = (byte)_random.Next(256);
                    break;
                case 4:
                    var from = _random.Next(line.Count);
                    var length = Math.Min(_random.Next(1, 60), line.Count - from);
                    line.InsertRange(at, line.GetRange(from, length));
                    break;
                default:
                    var token = tokens![_random.Next(tokens.Count)];
                    var replaced = Math.Min(_random.Next(0, 8), line.Count - at);
                    line.RemoveRange(at, replaced);
                    line.InsertRange(at, token);
                    break;
            }
        }

        return [.. line];
    }
}
