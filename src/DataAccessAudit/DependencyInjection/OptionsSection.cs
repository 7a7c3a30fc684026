using System.Globalization;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Configuration;

namespace DataAccessAudit.DependencyInjection;

// Binds the options from configuration by hand: no reflection (trimming- and AOT-safe), and a bad value fails with
// its configuration path and what was expected.
internal static class OptionsSection
{
    public static void BindFileLog(IConfigurationSection section, FileLogOptions options)
    {
        if (section[nameof(FileLogOptions.Directory)] is { } directory)
        {
            options.Directory = directory;
        }

        options.MaxSegmentSize = Long(section, nameof(FileLogOptions.MaxSegmentSize)) ?? options.MaxSegmentSize;
        options.RotationInterval = Time(section, nameof(FileLogOptions.RotationInterval)) ?? options.RotationInterval;
        options.Retention = Time(section, nameof(FileLogOptions.Retention)) ?? options.Retention;
        options.KeyId = section[nameof(FileLogOptions.KeyId)] ?? options.KeyId;
        options.Key = section[nameof(FileLogOptions.Key)] ?? options.Key;
    }

    public static void BindRecording(IConfigurationSection section, RecordingOptions options)
    {
        options.Capacity = (int?)Long(section, nameof(RecordingOptions.Capacity)) ?? options.Capacity;
        options.MaxBatchSize = (int?)Long(section, nameof(RecordingOptions.MaxBatchSize)) ?? options.MaxBatchSize;
        options.FlushInterval = Time(section, nameof(RecordingOptions.FlushInterval)) ?? options.FlushInterval;
        options.FullMode = Enum<RecordingFullMode>(section, nameof(RecordingOptions.FullMode)) ?? options.FullMode;
        options.Durability = Enum<RecordingDurability>(section, nameof(RecordingOptions.Durability)) ?? options.Durability;
    }

    private static long? Long(IConfigurationSection section, string key) =>
        section[key] is not { } text ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidOperationException($"Configuration value '{section.Path}:{key}' is \"{text}\": expected an integer.");

    private static TimeSpan? Time(IConfigurationSection section, string key) =>
        section[key] is not { } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidOperationException($"Configuration value '{section.Path}:{key}' is \"{text}\": expected a TimeSpan such as 00:00:01 or 1.00:00:00.");

    private static TEnum? Enum<TEnum>(IConfigurationSection section, string key)
        where TEnum : struct, Enum =>
        section[key] is not { } text ? null
        : System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) ? value
        : throw new InvalidOperationException($"Configuration value '{section.Path}:{key}' is \"{text}\": expected one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
}
