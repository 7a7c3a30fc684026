using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace DataAccessAudit.Testing;

// A real PostgreSQL server for tests, started once per test run: initdb into a temporary directory, a free loopback
// port, the unix socket in that directory, stopped and removed at the end. PostgreSQL refuses to run as root, so as
// root the server runs as the 'postgres' user (runuser). The binaries come from DATAACCESSAUDIT_PG_BIN, else the
// newest /usr/lib/postgresql/*/bin (Debian's layout), else PATH. A server that cannot start fails the tests that
// need it, with the reason: they are never skipped.
//
// Use: [assembly: AssemblyFixture(typeof(PostgreSqlServer))], take PostgreSqlServer in a test class's constructor,
// and call CreateDatabaseAsync() for a fresh database per test.
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private string? _directory;
    private string? _bin;
    private int _databases;

    public int Port { get; private set; }

    // The connection string of the server's 'postgres' database.
    public string AdminConnectionString => Connection("postgres");

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, pg_ctl) were not found: set DATAACCESSAUDIT_PG_BIN to their directory, or install Debian's postgresql (apt-get install -y postgresql); .ci/run does.");
        _directory = Directory.CreateTempSubdirectory("daa-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", SuperUser, _directory]).ConfigureAwait(false);
        }

        await RunPostgresAsync("initdb", ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]).ConfigureAwait(false);

        // The superuser logs in without a password, as every test does; any other role must give its password
        // (SCRAM), so that a test can see a wrong password refused as a real server refuses it. Written in place, so
        // that the file keeps the owner initdb gave it.
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), $"""
            local all all trust
            host all {SuperUser} 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256
            """).ConfigureAwait(false);
        Port = FreePort();
        await StartAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }

        try
        {
            await RunPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_directory, recursive: true);
    }

    // A new, empty database; its connection string.
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return Connection(name);
    }

    public async Task StartAsync()
    {
        await RunPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_directory!, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"]).ConfigureAwait(false);

        // Connections pooled before a restart are dead.
        NpgsqlConnection.ClearAllPools();
    }

    public Task StopAsync() => RunPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);

    public string Connection(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = database, Timeout = 5 }.ConnectionString;

    // A new login role with this password (roles belong to the whole server: give each test its own name); the
    // connection string of a database as that role, with the password given, right or wrong.
    public async Task CreateRoleAsync(string role, string password)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public static string ConnectionAs(string connectionString, string role, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = password }.ConnectionString;

    private string DataDirectory => Path.Combine(_directory!, "data");

    private static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("DATAACCESSAUDIT_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin!, tool);
        return IsRoot ? RunAsync("runuser", ["-u", SuperUser, "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL test server: '{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }
}
