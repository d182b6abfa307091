#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/column.hpp>
#include <kafkasink/errors.hpp>

namespace kafkasink {
namespace {

TEST(ColumnVector, StoresFixedWidthValuesAndNulls) {
  ColumnBuilder builder(int_type());
  builder.append_int(1);
  builder.append_null();
  builder.append_int(-7);
  const ColumnVector column = builder.finish();
  ASSERT_EQ(column.size(), 3U);
  EXPECT_EQ(column.null_count(), 1U);
  EXPECT_EQ(column.int_at(0), 1);
  EXPECT_TRUE(column.is_null(1));
  EXPECT_EQ(column.int_at(2), -7);
  EXPECT_EQ(column.value_at(1), Value());
}

TEST(ColumnVector, StringsShareOneByteBufferAndSlicesCopyNothing) {
  ColumnBuilder builder(string_type());
  builder.append_bytes("alpha");
  builder.append_bytes("");
  builder.append_null();
  builder.append_bytes("gamma");
  const ColumnVector column = builder.finish();
  EXPECT_EQ(column.bytes_at(0), "alpha");
  EXPECT_EQ(column.bytes_at(1), "");
  EXPECT_FALSE(column.is_null(1));
  EXPECT_TRUE(column.is_null(2));

  const ColumnVector tail = column.slice(2, 2);
  EXPECT_EQ(tail.size(), 2U);
  EXPECT_TRUE(tail.is_null(0));
  EXPECT_EQ(tail.bytes_at(1), "gamma");
  // Same bytes, not a copy.
  EXPECT_EQ(tail.bytes_at(1).data(), column.bytes_at(3).data());
  EXPECT_THROW((void)column.slice(3, 2), IllegalArgumentError);
}

TEST(ColumnVector, ByteBufferAppendsWriteInPlace) {
  ColumnBuilder builder(string_type());
  builder.byte_buffer() += "{\"a\":";
  builder.byte_buffer() += "1}";
  builder.finish_bytes();
  const ColumnVector column = builder.finish();
  EXPECT_EQ(column.bytes_at(0), "{\"a\":1}");
}

TEST(ColumnVector, NestedArraysOfStructs) {
  const DataType header = struct_type({{"key", string_type()}, {"value", binary_type()}});
  ColumnBuilder builder(array_type(header));
  builder.append(ArrayValue{StructValue{{"a", Bytes{"1"}}}, StructValue{{"b", nullptr}}});
  builder.append_null();
  builder.append(ArrayValue{});
  const ColumnVector column = builder.finish();
  ASSERT_EQ(column.size(), 3U);
  EXPECT_EQ(column.array_range(0), std::make_pair(std::size_t{0}, std::size_t{2}));
  EXPECT_TRUE(column.is_null(1));
  EXPECT_EQ(column.array_range(2), std::make_pair(std::size_t{2}, std::size_t{2}));
  const ColumnVector& elements = column.elements();
  EXPECT_EQ(elements.child(0).bytes_at(1), "b");
  EXPECT_TRUE(elements.child(1).is_null(1));
  EXPECT_EQ(column.value_at(0).to_string(), "[{a, [31]}, {b, NULL}]");
  EXPECT_EQ(column.slice(1, 2).value_at(1), Value(ArrayValue{}));
}

TEST(ColumnVector, StructSlicesSliceTheirFields) {
  ColumnBuilder builder(struct_type({{"x", int_type()}, {"y", string_type()}}));
  builder.append(StructValue{{1, "one"}});
  builder.append(StructValue{{2, "two"}});
  builder.append(StructValue{{3, "three"}});
  const ColumnVector column = builder.finish().slice(1, 2);
  EXPECT_EQ(column.child(0).int_at(0), 2);
  EXPECT_EQ(column.child(1).bytes_at(1), "three");
  EXPECT_EQ(column.value_at(0).to_string(), "{2, two}");
}

TEST(ColumnVector, AppendRejectsValuesOfAnotherType) {
  ColumnBuilder builder(int_type());
  EXPECT_THAT([&] { builder.append(Value("text")); },
              ::testing::ThrowsMessage<AnalysisError>(
                  "a string value (text) cannot be stored in a column of type int"));
}

TEST(ColumnVector, ConcatenateAndRepeat) {
  const ColumnVector repeated = ColumnVector::repeat(string_type(), Value("t"), 3);
  const ColumnVector joined = ColumnVector::concatenate({repeated, repeated.slice(0, 1)});
  ASSERT_EQ(joined.size(), 4U);
  EXPECT_EQ(joined.bytes_at(3), "t");
  const ColumnVector nulls = ColumnVector::repeat(long_type(), Value(), 2);
  EXPECT_EQ(nulls.null_count(), 2U);
}

TEST(ColumnVector, ReinterpretSharesBytes) {
  const ColumnVector strings = ColumnVector::repeat(string_type(), Value("abc"), 1);
  const ColumnVector binary = strings.reinterpret(binary_type());
  EXPECT_EQ(binary.type(), binary_type());
  EXPECT_EQ(binary.bytes_at(0).data(), strings.bytes_at(0).data());
  EXPECT_EQ(binary.value_at(0), Value(Bytes{"abc"}));
}

}  // namespace
}  // namespace kafkasink
