namespace DataAccessAudit.Transparency;

// One signature line of a signed note: the key's name, its id, and the signature bytes after the id (for a
// cosignature: an 8-byte big-endian timestamp followed by the Ed25519 signature).
internal sealed record NoteSignature(string Name, uint KeyId, byte[] Signature, string Base64)
{
    public string Line => $"\u2014 {Name} {Base64}\n";
}
