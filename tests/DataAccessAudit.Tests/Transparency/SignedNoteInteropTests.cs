using System.Text;
using DataAccessAudit.Transparency;
using NodaTime;

namespace DataAccessAudit.Tests.Transparency;

// The published examples of C2SP signed-note, tlog-checkpoint and tlog-cosignature, and of Go's sumdb/note, byte for
// byte (TestData/signed-note/README.md says where each comes from).
public sealed class SignedNoteInteropTests
{
    private const string GoText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";

    private static string Read(string name) => File.ReadAllText(TestData.Path("signed-note", name));

    private static NoteVerifierKey Key(string name) => NoteVerifierKey.Parse(Read(name).TrimEnd('\n'));

    [Fact]
    public void Sign_GoPeterNeumannKey_ReproducesGoSignedNoteByteForByte()
    {
        var key = NoteSigningKey.Parse(Read("go-peterneumann.skey"));

        var note = SignedNote.FromText(GoText).Sign(key);

        Assert.Equal(Read("go-peterneumann.note"), note.ToString());
        Assert.Equal(Read("go-peterneumann.vkey").TrimEnd('\n'), key.VerifierKey.ToString());
        Assert.Equal(Read("go-peterneumann.skey").TrimEnd('\n'), key.Export());
    }

    [Fact]
    public void Sign_AgainWithTheSameKey_ReplacesTheSignature()
    {
        var key = NoteSigningKey.Parse(Read("go-peterneumann.skey"));

        var note = SignedNote.Parse(Read("go-peterneumann.note")).Sign(key);

        Assert.Equal(Read("go-peterneumann.note"), note.ToString());
    }

    [Fact]
    public void Verify_C2spExample_VerifiesWithItsVerifierKey()
    {
        var key = Key("c2sp-example.vkey");

        var note = SignedNote.Parse(Read("c2sp-example.note"));

        Assert.Equal([key], note.Verify([key]));
        Assert.Equal("This is an example message.\n", note.Text);
        Assert.Equal("example.com/foo", key.Name);
        Assert.Equal(0x530d903au, key.KeyId);
        Assert.Equal(Read("c2sp-example.note"), note.ToString());
    }

    [Fact]
    public void Verify_GoNoteSignedTwice_VerifiesTheKnownKeysAndIgnoresUnknownOnes()
    {
        var peter = Key("go-peterneumann.vkey");
        var enoch = Key("go-enochroot.vkey");
        var note = SignedNote.Parse(Read("go-peterneumann-enochroot.note"));

        Assert.Equal([peter], note.Verify([peter]));
        Assert.Equal([enoch], note.Verify([enoch, Key("c2sp-example.vkey")]));
        Assert.Equal([peter, enoch], note.Verify([peter, enoch]));
        var none = Assert.Throws<NoteVerificationException>(() => note.Verify([Key("c2sp-example.vkey")]));
        Assert.Contains("PeterNeumann+c74f20a3", none.Message, StringComparison.Ordinal);
        Assert.Equal(["PeterNeumann", "EnochRoot"], note.SignerNames);
    }

    [Fact]
    public void Verify_GoInvalidSignature_IsRejectedNamingTheKey()
    {
        var signature = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
        var note = SignedNote.Parse(GoText + "\n" + signature[..60] + "ABCD" + signature[60..]);

        var exception = Assert.Throws<NoteVerificationException>(() => note.Verify([Key("go-peterneumann.vkey")]));

        Assert.Contains("PeterNeumann+c74f20a3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChangedText_IsRejected()
    {
        var note = SignedNote.Parse(Read("c2sp-example.note").Replace("example message", "example massage", StringComparison.Ordinal));

        Assert.Throws<NoteVerificationException>(() => note.Verify([Key("c2sp-example.vkey")]));
    }

    // Go's TestOpen "Invalid encoded message syntax" cases.
    [Fact]
    public void Parse_GoMalformedNotes_AreRejected()
    {
        var signature = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
        string[] bad =
        [
            GoText,
            GoText + "\n",
            GoText + "\n" + signature[..^1],
            "\x01" + GoText + "\n" + signature,
            GoText + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            GoText + "\n" + signature + "Unexpected line.\n",
            GoText + "\n" + string.Concat(Enumerable.Repeat(signature, 101)),
        ];

        foreach (var note in bad)
        {
            Assert.Throws<FormatException>(() => SignedNote.Parse(note));
        }

        Assert.Throws<FormatException>(() => SignedNote.ParseUtf8([0xff, .. Encoding.UTF8.GetBytes(GoText + "\n" + signature)]));
    }

    // Go's TestNewVerifier: every proper substring and every one-byte change of the verifier key is refused.
    [Fact]
    public void ParseVerifierKey_GoManglings_AreRejected()
    {
        const string vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
        Assert.Equal(vkey, NoteVerifierKey.Parse(vkey).ToString());
        for (var i = 0; i <= vkey.Length; i++)
        {
            for (var j = i + 1; j <= vkey.Length; j++)
            {
                if (i != 0 || j != vkey.Length)
                {
                    Assert.False(NoteVerifierKey.TryParse(vkey[i..j], out _), vkey[i..j]);
                }
            }
        }

        for (var i = 0; i < vkey.Length; i++)
        {
            var changed = vkey[..i] + (char)(vkey[i] + 1) + vkey[(i + 1)..];
            Assert.False(NoteVerifierKey.TryParse(changed, out _), changed);
        }

        Assert.False(NoteVerifierKey.TryParse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", out _));
        Assert.False(NoteVerifierKey.TryParse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", out _));
        var error = Assert.Throws<FormatException>(() => NoteVerifierKey.Parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        Assert.Contains("c74f20a4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "private signing key")]
    [InlineData("demo-1:Zn6mquTBiz7LiRgmFQ7gLC818Mwj7btBdzbye821cYU=", "not a verifier key")]
    public void ParseVerifierKey_ASecretGivenByMistake_IsRefusedWithoutRepeatingIt(string secret, string expected)
    {
        var error = Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(secret));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Split('+', ':')[^1], error.Message, StringComparison.Ordinal);
    }

    // Go's TestNewSigner: every proper substring and every one-byte change of the signing key is refused.
    [Fact]
    public void ParseSigningKey_GoManglings_AreRejected()
    {
        const string skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
        for (var i = 0; i <= skey.Length; i++)
        {
            for (var j = i + 1; j <= skey.Length; j++)
            {
                if ((i != 0 || j != skey.Length) && !string.IsNullOrWhiteSpace(skey[i..j]))
                {
                    Assert.Throws<FormatException>(() => NoteSigningKey.Parse(skey[i..j]));
                }
            }
        }

        for (var i = 0; i < skey.Length; i++)
        {
            var changed = skey[..i] + (char)(skey[i] + 1) + skey[(i + 1)..];
            var exception = Assert.Throws<FormatException>(() => NoteSigningKey.Parse(changed));
            Assert.DoesNotContain("AYEKFALV", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Checkpoint_C2spExample_ParsesAndRoundTrips()
    {
        var note = SignedNote.Parse(Read("c2sp-checkpoint.note"));

        var checkpoint = Checkpoint.Parse(note.Text);

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.TreeSize);
        Assert.Equal(Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), checkpoint.RootHash.ToArray());
        Assert.Equal(note.Text, checkpoint.Text);
        Assert.Equal(Read("c2sp-checkpoint.note"), note.ToString());
    }

    [Fact]
    public void Cosignature_C2spExample_CarriesItsKeyIdAndTimestamp()
    {
        var note = SignedNote.Parse(Read("c2sp-cosigned-checkpoint.note"));

        var cosignature = note.Signatures[1];

        Assert.Equal("witness.example.com/w1", cosignature.Name);
        Assert.Equal(72, cosignature.Signature.Length);
        Assert.Equal(1679315147UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(cosignature.Signature));
        Assert.Equal(Read("c2sp-cosigned-checkpoint.note"), note.ToString());
    }

    [Theory]
    [InlineData("example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", true)]
    [InlineData("example.com/log\n10\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension\n", true)]
    [InlineData("example.com/log\n010\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", false)]
    [InlineData("example.com/log\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", false)]
    [InlineData("example.com/log\n+1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", false)]
    [InlineData("example.com/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n", false)]
    [InlineData("example.com/log\n1\nAAAA\n", false)]
    [InlineData("example.com/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", false)]
    [InlineData("example.com/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n", false)]
    [InlineData("\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", false)]
    [InlineData("example.com/log\n99999999999999999999\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", false)]
    public void Checkpoint_Parse_AcceptsOnlyTheFormat(string text, bool valid)
    {
        if (valid)
        {
            Assert.Equal(text, Checkpoint.Parse(text).Text);
        }
        else
        {
            Assert.Throws<FormatException>(() => Checkpoint.Parse(text));
        }
    }

    [Fact]
    public void Cosign_NewWitnessKey_VerifiesOverTheCosignatureV1Message()
    {
        var log = NoteSigningKey.Generate("audit.example.com/log");
        var witness = NoteSigningKey.Generate("witness.example.com/w1", cosigner: true);
        var time = Instant.FromUnixTimeSeconds(1679315147);
        var checkpoint = new Checkpoint("audit.example.com/log", 20852163, Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));

        var note = SignedNote.Parse(checkpoint.Sign(log).Cosign(witness, time + Duration.FromMilliseconds(900)).ToString());

        Assert.True(witness.VerifierKey.IsCosigner);
        Assert.Equal([log.VerifierKey, witness.VerifierKey], note.Verify([log.VerifierKey, witness.VerifierKey]));
        Assert.Equal(time, note.CosignedAt(witness.VerifierKey));
        Assert.Null(note.CosignedAt(log.VerifierKey));
        // The cosigned message is "cosignature/v1\ntime <seconds>\n" and the checkpoint: checked with the primitive itself.
        var raw = note.Signatures[1].Signature;
        var message = Encoding.UTF8.GetBytes("cosignature/v1\ntime 1679315147\n" + checkpoint.Text);
        var publicKey = Convert.FromBase64String(witness.VerifierKey.ToString().Split('+', 3)[2])[1..];
        Assert.True(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(raw[8..], 0, publicKey, 0, message, 0, message.Length));
        Assert.Throws<ArgumentException>(() => SignedNote.FromText(checkpoint.Text).Sign(witness));
        Assert.Throws<ArgumentException>(() => SignedNote.FromText(checkpoint.Text).Cosign(log, time));
    }

    [Fact]
    public void Cosign_ChangedTimestamp_DoesNotVerify()
    {
        var witness = NoteSigningKey.Generate("w", cosigner: true);
        var note = SignedNote.FromText("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n").Cosign(witness, Instant.FromUnixTimeSeconds(100));
        var raw = Convert.FromBase64String(note.ToString().Split(' ')[^1].TrimEnd('\n'));
        raw[11]++;

        var changed = SignedNote.Parse(note.Text + "\n— w " + Convert.ToBase64String(raw) + "\n");

        Assert.Throws<NoteVerificationException>(() => changed.Verify([witness.VerifierKey]));
        Assert.Null(changed.CosignedAt(witness.VerifierKey));
    }

    [Fact]
    public void SigningKey_SaveThenLoad_RoundTripsWithMode0600AndNeverOverwrites()
    {
        var directory = Directory.CreateTempSubdirectory("note-key-");
        try
        {
            var path = Path.Combine(directory.FullName, "log.key");
            var key = NoteSigningKey.Generate("audit.example.com/log");

            key.Save(path);

            Assert.Equal(key.Export(), NoteSigningKey.Load(path).Export());
            Assert.DoesNotContain(key.Export(), key.ToString(), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.Throws<IOException>(() => NoteSigningKey.Generate("other").Save(path));
            Assert.Equal(key.Export(), NoteSigningKey.Load(path).Export());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
