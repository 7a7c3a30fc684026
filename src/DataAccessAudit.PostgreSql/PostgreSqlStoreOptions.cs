using DataAccessAudit.Log;

namespace DataAccessAudit.PostgreSql;

/// <summary>
/// Options of the PostgreSQL store: the database shared by every instance of an app, where each writing instance
/// keeps its own gap-free sequence and hash chain (see <c>docs/scaling.md</c>).
/// </summary>
/// <remarks>Validated when the host starts: an invalid value fails start-up with a message naming it.</remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The schema used when <see cref="Schema"/> is not set: <c>data_access_audit</c>.</summary>
    public const string DefaultSchema = "data_access_audit";

    /// <summary>
    /// Gets or sets the Npgsql connection string of the database, such as
    /// <c>Host=db;Database=app;Username=audit;Password=…</c>. Required.
    /// </summary>
    /// <remarks>
    /// A connection the database refuses (its credentials, its database, the CONNECT privilege), or a role that lacks
    /// a privilege the writer needs (on the store's schema and tables, including ownership of the records table for
    /// each month's partition), fails the host's start, naming the user, the server and the reason or every missing
    /// privilege with its GRANT; a database that cannot be reached does not.
    /// </remarks>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the schema that holds the store's tables; created and migrated on start. Lower-case letters,
    /// digits and <c>_</c>, starting with a letter or <c>_</c>, at most 63 characters, not beginning with <c>pg_</c>
    /// (PostgreSQL reserves that prefix for its own schemas). Default <see cref="DefaultSchema"/>.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Gets or sets the id of this writing instance: each instance has its own sequence and chain, so two processes
    /// writing at once must have different ids (a second writer with the same id is refused with an error). 1 to
    /// 128 characters from the ASCII letters and digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>:</c>. Default: the machine name,
    /// which suits one process per machine or container.
    /// </summary>
    public string InstanceId { get; set; } = DefaultInstanceId();

    /// <summary>
    /// Gets or sets the id of the chain key, stored with the instance so that a verifier picks the right key.
    /// Required with <see cref="Key"/>; the rules of <see cref="FileLogOptions.KeyId"/>.
    /// </summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// Gets or sets the chain key, base64, at least <see cref="FileLogOptions.MinKeyLength"/> bytes once decoded:
    /// with a key each instance's chain is HMAC-SHA256, so someone who can edit the tables cannot recompute it.
    /// An instance keeps the key id it started with; a new key needs a new <see cref="InstanceId"/>.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Gets or sets a local directory where this instance's records go while the database cannot be reached, so that
    /// recording goes on through an outage instead of queueing in memory. The file (<c>spill-&lt;instance id&gt;.jsonl</c>)
    /// holds the very chained record lines the database would, synced batch by batch; when the database answers
    /// again (tried at most once a second, before each batch and on each flush) it is checked link by link, replayed
    /// in order, each record exactly once, and deleted. A file left by a process that stopped during the outage is
    /// replayed by the next process with the same <see cref="InstanceId"/>. Null (the default): batches wait in the
    /// recording queue, which then blocks or drops (with a gap record) according to <c>RecordingOptions.FullMode</c>.
    /// </summary>
    /// <remarks>
    /// Spilling starts once the process has reached the database (it needs the instance's head to continue the
    /// chain): an app that starts while the database is down queues until it comes up. A directory on a local disk
    /// of each machine, never a shared one: each file is held exclusively by its writer. A relative path is taken from
    /// the host's content root when the options come through dependency injection in a host.
    /// </remarks>
    public string? SpillDirectory { get; set; }

    private static string DefaultInstanceId()
    {
        var name = Environment.MachineName;
        return PostgreSqlStoreOptionsValidator.IsValidInstanceId(name) ? name : "default";
    }
}
