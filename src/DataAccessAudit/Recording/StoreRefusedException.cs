namespace DataAccessAudit.Recording;

/// <summary>
/// Thrown by a sink whose store answers but refuses this app (credentials not accepted, a database that does not
/// exist, privileges missing): a configuration error that waiting alone does not fix, unlike
/// <see cref="StoreUnavailableException"/>, but that an operator can fix while the app runs (a password rotated on
/// one side only, a grant revoked). So the writer treats it as it treats an outage, keeping the batch and retrying,
/// and the app's recording calls go on queueing meanwhile, so that nothing recorded is lost; only what it logs and
/// reports differs, naming the refusal rather than an outage.
/// </summary>
internal sealed class StoreRefusedException : IOException
{
    public StoreRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
