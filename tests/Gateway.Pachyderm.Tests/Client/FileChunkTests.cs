using System.Buffers;
using Gateway.Pachyderm.Files;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.Pachyderm.Tests.Client;

/// <summary>GetFile messages read into pooled buffers decode as protobuf's own BytesValue parser does.</summary>
public sealed class FileChunkTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(100_000)]
    [InlineData(4 * 1024 * 1024 - 64)]
    public void Parse_WhatProtobufWrites_SameBytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var wire = new BytesValue { Value = ByteString.CopyFrom(bytes) }.ToByteArray();

        var chunk = FileChunk.Parse(new ReadOnlySequence<byte>(wire));

        Assert.Equal(size, chunk.Length);
        Assert.True(chunk.Memory.Span.SequenceEqual(bytes));
        chunk.Return();
        Assert.True(chunk.Memory.IsEmpty);
    }

    [Fact]
    public void Parse_PayloadSplitAcrossSegments_SameBytes()
    {
        var bytes = new byte[70_000];
        new Random(7).NextBytes(bytes);
        var wire = new BytesValue { Value = ByteString.CopyFrom(bytes) }.ToByteArray();

        var chunk = FileChunk.Parse(Segments(wire, 1, 2, 3, 5000, 30_000));

        Assert.True(chunk.Memory.Span.SequenceEqual(bytes));
    }

    [Fact]
    public void Parse_UnknownFieldsAndARepeatedValue_SkippedAndTheLastValueWins()
    {
        var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFromUtf8("first"));
        writer.WriteTag(2, WireFormat.WireType.Varint);
        writer.WriteUInt64(300);
        writer.WriteTag(3, WireFormat.WireType.Fixed64);
        writer.WriteFixed64(7);
        writer.WriteTag(4, WireFormat.WireType.Fixed32);
        writer.WriteFixed32(7);
        writer.WriteTag(5, WireFormat.WireType.LengthDelimited);
        writer.WriteString("other");
        writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFromUtf8("second"));
        writer.Flush();
        var wire = output.ToArray();

        var chunk = FileChunk.Parse(new ReadOnlySequence<byte>(wire));

        Assert.Equal(BytesValue.Parser.ParseFrom(wire).Value.ToStringUtf8(), System.Text.Encoding.UTF8.GetString(chunk.Memory.Span));
        Assert.Equal("second", System.Text.Encoding.UTF8.GetString(chunk.Memory.Span));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A })]
    [InlineData(new byte[] { 0x0A, 0x05, 1, 2 })]
    [InlineData(new byte[] { 0x0A, 0xFF })]
    [InlineData(new byte[] { 0x0B })]
    [InlineData(new byte[] { 0x00, 0x00 })]
    [InlineData(new byte[] { 0x11, 1, 2 })]
    public void Parse_Malformed_Refused(byte[] wire)
    {
        Assert.Throws<InvalidDataException>(() => FileChunk.Parse(new ReadOnlySequence<byte>(wire)));
        Assert.ThrowsAny<InvalidProtocolBufferException>(() => BytesValue.Parser.ParseFrom(wire));
    }

    private static ReadOnlySequence<byte> Segments(byte[] data, params int[] cuts)
    {
        Segment? first = null;
        Segment? last = null;
        var start = 0;
        foreach (var cut in cuts.Append(data.Length))
        {
            var segment = new Segment(data.AsMemory(start, cut - start), last);
            first ??= segment;
            last = segment;
            start = cut;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
