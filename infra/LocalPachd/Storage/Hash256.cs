using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LocalPachd.Storage;

/// <summary>A SHA-256 digest held as four big-endian words so it compares, hashes and sorts cheaply.</summary>
internal readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private Hash256(ulong a, ulong b, ulong c, ulong d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    public static Hash256 FromSpan(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return FromSpan(digest);
    }

    public static Hash256 FromHex(string hex)
    {
        Span<byte> bytes = stackalloc byte[Size];
        Convert.FromHexString(hex, bytes, out _, out _);
        return FromSpan(bytes);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Addition modulo 2^256: an order-independent, incrementally updatable digest of a set.</summary>
    public Hash256 Add(Hash256 other)
    {
        var d = _d + other._d;
        var carry = d < _d ? 1UL : 0UL;
        var c = _c + other._c + carry;
        carry = c < _c || (carry == 1 && c == _c) ? 1UL : 0UL;
        var b = _b + other._b + carry;
        carry = b < _b || (carry == 1 && b == _b) ? 1UL : 0UL;
        var a = _a + other._a + carry;
        return new Hash256(a, b, c, d);
    }

    public bool Equals(Hash256 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    public override int GetHashCode() => (int)_d ^ (int)(_d >> 32);

    public int CompareTo(Hash256 other)
    {
        var r = _a.CompareTo(other._a);
        if (r != 0)
        {
            return r;
        }

        r = _b.CompareTo(other._b);
        if (r != 0)
        {
            return r;
        }

        r = _c.CompareTo(other._c);
        return r != 0 ? r : _d.CompareTo(other._d);
    }

    public override string ToString() => ToHex();

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;
}
