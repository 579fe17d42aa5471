#include "emulator/json/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "emulator/json/size.h"

namespace timeslip::json {
namespace {

using Json = nlohmann::ordered_json;

// Text() writes what nlohmann's dump(-1, ' ', false, replace) writes, byte for byte: histories
// written before it and after it must not differ.
std::string Library(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(TextTest, SameAsTheLibraryOnScalars) {
  for (const Json& v :
       {Json(nullptr), Json(true), Json(false), Json(0), Json(-1), Json(42),
        Json(std::numeric_limits<std::int64_t>::min()),
        Json(std::numeric_limits<std::int64_t>::max()),
        Json(std::numeric_limits<std::uint64_t>::max()), Json(0.1), Json(1.0), Json(-0.0),
        Json(1e300), Json(2.5e-8), Json(157.2), Json(std::numeric_limits<double>::quiet_NaN())}) {
    EXPECT_EQ(Text(v), Library(v));
  }
}

TEST(TextTest, SameAsTheLibraryOnStrings) {
  for (const std::string& s :
       {std::string(""), std::string("plain text"), std::string("\"quoted\" and \\slashed\\ /"),
        std::string("\b\f\n\r\t"), std::string("\x01\x02\x1f\x7f", 4),
        std::string("nul \0 inside", 12), std::string("é ü € 𝄞 中文"),
        std::string("bad \xff byte"), std::string("cut \xe2\x82"), std::string("\xc0\xaf"),
        std::string("surrogate \xed\xa0\x80 here"), std::string("max \xf4\x8f\xbf\xbf"),
        std::string("past max \xf4\x90\x80\x80")}) {
    EXPECT_EQ(Text(Json(s)), Library(Json(s))) << s;
    Json object = {{s, s}};
    EXPECT_EQ(Text(object), Library(object)) << s;
  }
}

TEST(TextTest, SameAsTheLibraryOnContainers) {
  for (const char* text : {"{}", "[]", R"({"a":[1,2.5,{"b":null,"c":[]}],"e":{},"f":"x"})",
                           R"([[[]],[{}],"",0,-1,true,false,null])"}) {
    Json v = Json::parse(text);
    EXPECT_EQ(Text(v), Library(v)) << text;
  }
}

// Random documents from a fixed seed: nesting, every scalar type, strings over every byte.
Json RandomValue(std::mt19937_64& gen, int depth) {
  int kind = static_cast<int>(gen() % (depth > 3 ? 6 : 8));
  switch (kind) {
    case 0: return nullptr;
    case 1: return gen() % 2 == 0;
    case 2: return static_cast<std::int64_t>(gen());
    case 3: return static_cast<std::uint64_t>(gen());
    case 4: {
      std::uint64_t bits = gen();
      return static_cast<double>(static_cast<std::int64_t>(bits)) /
             static_cast<double>(1 + gen() % 100000);
    }
    case 5: {
      std::string s;
      for (std::uint64_t n = gen() % 12; n > 0; --n) s += static_cast<char>(gen() % 256);
      return s;
    }
    case 6: {
      Json a = Json::array();
      for (std::uint64_t n = gen() % 5; n > 0; --n) a.push_back(RandomValue(gen, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      for (std::uint64_t n = gen() % 5; n > 0; --n) {
        o[std::to_string(gen() % 1000) + "\n\"é"] = RandomValue(gen, depth + 1);
      }
      return o;
    }
  }
}

// SerializedSize (size.h) counts what Text writes; the same documents check it.
TEST(TextTest, SameAsTheLibraryOnRandomDocuments) {
  std::mt19937_64 gen(20261205);
  for (int i = 0; i < 2000; ++i) {
    Json v = RandomValue(gen, 0);
    ASSERT_EQ(Text(v), Library(v)) << i;
    ASSERT_EQ(SerializedSize(v), Library(v).size()) << i;
  }
}

}  // namespace
}  // namespace timeslip::json
