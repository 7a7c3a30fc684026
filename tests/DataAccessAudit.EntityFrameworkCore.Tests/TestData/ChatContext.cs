using DataAccessAudit.Classification;
using Microsoft.EntityFrameworkCore;

namespace DataAccessAudit.EntityFrameworkCore.Tests.TestData;

/// <summary>A chat app's database: public profiles, protected messages, unclassified settings.</summary>
public sealed class ChatContext(DbContextOptions<ChatContext> options) : DbContext(options)
{
    public DbSet<Profile> Profiles => Set<Profile>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<Setting> Settings => Set<Setting>();

    public DbSet<Note> Notes => Set<Note>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Patient> Patients => Set<Patient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>().OwnsOne(customer => customer.Address);
        modelBuilder.Entity<Patient>().ComplexProperty(patient => patient.Medical, medical => medical.ComplexProperty(m => m.Diagnosis));
    }
}

public sealed class Profile
{
    public int Id { get; set; }

    [PublicData]
    public string DisplayName { get; set; } = string.Empty;

    [HomeRegion]
    public string Country { get; set; } = "US";
}

public sealed class Message
{
    public int Id { get; set; }

    [SubjectKey]
    public int UserId { get; set; }

    [ProtectedData]
    public string Body { get; set; } = string.Empty;

    [HomeRegion]
    public string Country { get; set; } = "US";
}

public sealed class Setting
{
    public int Id { get; set; }

    public string Theme { get; set; } = "dark";
}

/// <summary>Protected, with no home region of its own: takes the context's default.</summary>
public sealed class Note
{
    public int Id { get; set; }

    [ProtectedData]
    public string Text { get; set; } = string.Empty;
}

/// <summary>Unclassified itself, but owns a protected address: the address is the customer's data.</summary>
public sealed class Customer
{
    public int Id { get; set; }

    [SubjectKey]
    public int UserId { get; set; }

    [HomeRegion]
    public string Country { get; set; } = "US";

    public Address Address { get; set; } = new();
}

public sealed class Address
{
    [ProtectedData]
    public string Street { get; set; } = string.Empty;
}

/// <summary>Unclassified itself, but holds a complex type that holds a protected diagnosis, two levels down.</summary>
public sealed class Patient
{
    public int Id { get; set; }

    [HomeRegion]
    public string Country { get; set; } = "US";

    public MedicalRecord Medical { get; set; } = new();
}

public sealed class MedicalRecord
{
    public string Clinic { get; set; } = string.Empty;

    public Diagnosis Diagnosis { get; set; } = new();
}

public sealed class Diagnosis
{
    [ProtectedData]
    public string Code { get; set; } = string.Empty;
}
