using DataAccessAudit.Transparency;

namespace DataAccessAudit.Tests.Transparency;

// A file that is not a proof is reported by the member that is wrong and what was expected there, never with the
// JSON reader's own words, the same way for inclusion and consistency proofs.
public sealed class ProofParseTests
{
    private static readonly string Note =
        new Checkpoint("audit.example.com/test", 3, new byte[32]).Sign(NoteSigningKey.Generate("audit.example.com/test")).ToString();

    private static readonly string Inclusion = new InclusionProof("{\"seq\":2}", 1, [new byte[32], new byte[32]], SignedNote.Parse(Note)).ToJson();

    private static readonly string Consistency = new ConsistencyProof(1, 3, [new byte[32], new byte[32]], null, null).ToJson();

    [Theory]
    [InlineData("\"checkpoint\": \"", "\"chekpoint\": \"", "\"checkpoint\": missing; expected the signed checkpoint note (a string).")]
    [InlineData("\"index\": 1", "\"index\": \"1\"", "\"index\": expected a whole number from 0 to 9223372036854775806, got \"1\".")]
    [InlineData("\"index\": 1", "\"index\": 1.0", "\"index\": expected a whole number from 0 to 9223372036854775806, got 1.0.")]
    [InlineData("\"index\": 1", "\"index\": -1", "\"index\": expected a whole number from 0 to 9223372036854775806, got -1.")]
    [InlineData("\"index\": 1", "\"index\": 9223372036854775807", "\"index\": expected a whole number from 0 to 9223372036854775806, got 9223372036854775807.")]
    [InlineData("\"index\": 1", "\"index\": 1, \"index\": 2", "\"index\": given twice; expected once.")]
    [InlineData("\"record\": \"{\\\"seq\\\":2}\"", "\"record\": \"\\ud800\"", "\"record\": expected the record's line (a string), got \"\\ud800\".")]
    [InlineData("\"record\": \"{\\\"seq\\\":2}\"", "\"record\": {\"seq\":2}", "\"record\": expected the record's line (a string), got {\"seq\":2}.")]
    [InlineData("\"path\": [", "\"path\": [\"!!!\", ", "\"path\"[0]: expected a base64 SHA-256 hash (32 bytes, 44 characters), got \"!!!\".")]
    [InlineData("\"path\": [", "\"path\": [\"AAAA\", ", "\"path\"[0]: expected a base64 SHA-256 hash (32 bytes, 44 characters), got \"AAAA\".")]
    [InlineData("\"path\": [", "\"path\": 7, \"x\": [", "\"path\": expected an array of base64 SHA-256 hashes, got 7.")]
    [InlineData("\"schema\": \"access-log-inclusion/1\"", "\"schema\": \"access-log-consistency/1\"", "\"schema\": expected \"access-log-inclusion/1\", got \"access-log-consistency/1\".")]
    [InlineData("\"checkpoint\": \"", "\"checkpoint\": \"x\", \"old\": \"", "\"checkpoint\": not a signed checkpoint note: A signed note is its text, a blank line and signature lines; there is no blank line.")]
    public void InclusionProof_MemberWrong_IsNamedWithWhatWasExpected(string from, string to, string expected)
    {
        var json = Inclusion.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Inclusion, json);

        var exception = Assert.Throws<FormatException>(() => InclusionProof.Parse(json));

        Assert.Equal(expected, exception.Message);
    }

    [Theory]
    [InlineData("[]", "expected a JSON object, an access-log-inclusion/1 proof; got [].")]
    [InlineData("{\"schema\": ", "not JSON (line 1, byte 12); expected a JSON object, an access-log-inclusion/1 proof.")]
    [InlineData("\"" + "0123456789012345678901234567890123456789xyz" + "\"", "expected a JSON object, an access-log-inclusion/1 proof; got \"012345678901234567890123456789012345678….")]
    public void InclusionProof_NotAnObject_SaysWhatWasExpected(string json, string expected) =>
        Assert.Equal(expected, Assert.Throws<FormatException>(() => InclusionProof.Parse(json)).Message);

    [Theory]
    [InlineData("\"from\": 1", "\"from\": 18446744073709551616", "\"from\": expected a whole number from 0 to 9223372036854775807, got 18446744073709551616.")]
    [InlineData("\"to\": 3", "\"to\": null", "\"to\": expected a whole number from 0 to 9223372036854775807, got null.")]
    [InlineData("\"path\": [", "\"path\": [1, ", "\"path\"[0]: expected a base64 SHA-256 hash (32 bytes, 44 characters), got 1.")]
    public void ConsistencyProof_MemberWrong_IsNamedWithWhatWasExpected(string from, string to, string expected)
    {
        var json = Consistency.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Consistency, json);

        Assert.Equal(expected, Assert.Throws<FormatException>(() => ConsistencyProof.Parse(json)).Message);
    }

    [Fact]
    public void BothProofs_AsWritten_ParseBack()
    {
        Assert.Equal(Inclusion, InclusionProof.Parse(Inclusion).ToJson());
        Assert.Equal(Consistency, ConsistencyProof.Parse(Consistency).ToJson());
    }
}
