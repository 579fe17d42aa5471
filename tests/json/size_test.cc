#include "emulator/json/size.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "emulator/json/text.h"

namespace timeslip::json {
namespace {

using Json = nlohmann::ordered_json;

// SerializedSize counts without writing; it must agree with Text() byte for byte.
void ExpectSameAsText(const Json& value) {
  EXPECT_EQ(SerializedSize(value), Text(value).size()) << Text(value);
}

TEST(SizeTest, AgreesWithTextOnScalars) {
  for (const Json& v :
       {Json(nullptr), Json(true), Json(false), Json(0), Json(7), Json(-7), Json(10), Json(-10),
        Json(1234567890123), Json(std::numeric_limits<std::int64_t>::min()),
        Json(std::numeric_limits<std::int64_t>::max()),
        Json(std::numeric_limits<std::uint64_t>::max()), Json(0.5), Json(1.0), Json(-0.0),
        Json(1e300), Json(3.141592653589793), Json(157.2), Json("")}) {
    ExpectSameAsText(v);
  }
}

TEST(SizeTest, AgreesWithTextOnEscapesAndUtf8) {
  ExpectSameAsText(Json("plain"));
  ExpectSameAsText(Json("quote \" backslash \\ slash /"));
  ExpectSameAsText(Json("\b\f\n\r\t"));
  ExpectSameAsText(Json(std::string("\x01\x1f\x7f", 3)));
  ExpectSameAsText(Json(std::string("nul \0 inside", 12)));
  ExpectSameAsText(Json("é ü € 𝄞 中文"));
  // Invalid UTF-8 is replaced (U+FFFD) by Text(); the count follows it.
  ExpectSameAsText(Json(std::string("bad \xff byte")));
  ExpectSameAsText(Json(std::string("cut \xe2\x82")));
  ExpectSameAsText(Json(std::string("overlong \xc0\xaf")));
  ExpectSameAsText(Json(std::string("surrogate \xed\xa0\x80")));
}

TEST(SizeTest, AgreesWithTextOnContainers) {
  ExpectSameAsText(Json::object());
  ExpectSameAsText(Json::array());
  ExpectSameAsText(Json::parse(R"({"a":[1,2.5,{"b":null,"c":[]}],"k\"ey":{},"é":"x\ny"})"));
  ExpectSameAsText(Json::parse(R"([[[]],[{}],"",0,-1,true])"));
}

// FitsWithin must answer exactly as comparing SerializedSize would, on either side of the limit
// and whether its length-only bound decides or the count does.
TEST(SizeTest, FitsWithinAgreesWithTheCountAtTheLimit) {
  const std::vector<Json> documents = {
      Json::parse(R"({"a":[1,2.5,{"b":null,"c":[]}],"k\"ey":{},"é":"x\ny"})"),
      Json(std::string(100, '\n')), Json(std::string(300, 'x')), Json::array({1e300, -7, true}),
      Json::object({{"s", std::string(40, '"')}, {"n", Json::array({nullptr, false})}})};
  for (const Json& value : documents) {
    const std::size_t size = SerializedSize(value);
    EXPECT_TRUE(FitsWithin(value, size)) << Text(value);
    EXPECT_TRUE(FitsWithin(value, size * 10)) << Text(value);
    EXPECT_FALSE(FitsWithin(value, size - 1)) << Text(value);
    EXPECT_FALSE(FitsWithin(value, 0)) << Text(value);
  }
}

TEST(SizeTest, FitsWithinTheServiceLimit) {
  Json big = Json::object({{"blob", std::string(kMaxPayloadBytes - 11, 'x')}});  // {"blob":"..."}
  EXPECT_EQ(SerializedSize(big), kMaxPayloadBytes);
  EXPECT_TRUE(FitsWithin(big));
  big["blob"].get_ref<std::string&>() += 'x';
  EXPECT_FALSE(FitsWithin(big));
}

}  // namespace
}  // namespace timeslip::json
