using System.Globalization;

namespace DataAccessAudit.PostgreSql.Verification;

/// <summary>
/// Where one writing instance's chain ended when the store was verified: its last sequence number and that record's
/// chain value. Kept outside the database, it lets a later verification require that the instance still exists, was
/// not cut below that sequence number, and still holds that record unchanged.
/// </summary>
public sealed class PostgreSqlInstanceHead
{
    /// <summary>Creates an instance's head.</summary>
    /// <param name="instanceId">The instance's id (<c>instances.instance_id</c>).</param>
    /// <param name="lastSequence">The sequence number of the instance's last record; 0 for an instance with none.</param>
    /// <param name="lastChain">That record's chain value, 64 lower-case hex digits; 64 zeros when the instance has no records.</param>
    /// <exception cref="ArgumentException">A value is empty, negative or not of its form.</exception>
    public PostgreSqlInstanceHead(string instanceId, long lastSequence, string lastChain)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegative(lastSequence);
        ArgumentNullException.ThrowIfNull(lastChain);
        if (lastChain.Length != 64 || lastChain.Any(c => c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f')))
        {
            throw new ArgumentException("The chain value must be 64 lower-case hex digits.", nameof(lastChain));
        }

        // Before its first record an instance's chain is the 32 zero bytes its first record links to.
        if (lastSequence == 0 && lastChain != StartChain)
        {
            throw new ArgumentException("An instance without records (last sequence 0) has the chain value of 64 zeros.", nameof(lastChain));
        }

        InstanceId = instanceId;
        LastSequence = lastSequence;
        LastChain = lastChain;
    }

    /// <summary>Gets the instance's id.</summary>
    public string InstanceId { get; }

    /// <summary>Gets the sequence number of the instance's last record (0 when it had none).</summary>
    public long LastSequence { get; }

    /// <summary>Gets that record's chain value, 64 lower-case hex digits.</summary>
    public string LastChain { get; }

    // The chain value an instance starts from: its first record links to 32 zero bytes.
    internal static string StartChain { get; } = new('0', 64);

    /// <summary>Returns the head in words: <c>web-1: up to sequence 3000, chain 36c9…</c> (all 64 digits).</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{InstanceId}: up to sequence {LastSequence}, chain {LastChain}");
}
