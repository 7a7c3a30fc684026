using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DataAccessAudit.Reporting.Aggregation;

// One table of slots in native memory, zeroed, reported to the collector as memory pressure (so that a process
// building reports one after another collects the sets of finished reports as if they were managed arrays).
internal sealed class SlotTable : SafeHandle
{
    private static long s_tables;

    private long _pressure;

    public SlotTable()
        : base(0, ownsHandle: true)
    {
    }

    public int Length { get; private set; }

    // Tells tables apart in the Released event (a freed address may be handed out again).
    public long Id { get; } = Interlocked.Increment(ref s_tables);

    public override bool IsInvalid => handle == 0;

    public Span<ulong> Slots =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, ulong>(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), handle)), Length);

    public static SlotTable Allocate(int length)
    {
        // The handle exists before the memory: if the allocation throws, the handle is invalid and never released.
        var table = new SlotTable();
        var bytes = (long)length * sizeof(ulong);
        table.SetHandle(Marshal.AllocHGlobal((nint)bytes));
        table.Length = length;
        table.Slots.Clear();
        GC.AddMemoryPressure(bytes);
        table._pressure = bytes;
        return table;
    }

    // Told the id of each table released, so that tests can see a table freed exactly once.
    internal static event Action<long>? Released;

    protected override bool ReleaseHandle()
    {
        Released?.Invoke(Id);
        Marshal.FreeHGlobal(handle);
        if (_pressure > 0)
        {
            GC.RemoveMemoryPressure(_pressure);
        }

        return true;
    }
}
