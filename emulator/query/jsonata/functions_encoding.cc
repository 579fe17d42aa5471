// $base64encode/decode and the URL encoders, as JavaScript's encodeURI(Component) and
// decodeURI(Component) behave (D3140 on malformed input).

#include <cstring>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/functions_internal.h"
#include "emulator/query/jsonata/utf8_internal.h"

namespace timeslip::query::jsonata {
namespace {

constexpr const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Value Base64Encode(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  const std::string& s = v.string();
  std::string out;
  for (std::size_t i = 0; i < s.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
    if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < s.size() ? kBase64[(n >> 6) & 63] : '=';
    out += i + 2 < s.size() ? kBase64[n & 63] : '=';
  }
  return Value::String(std::move(out));
}

Value Base64Decode(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : v.string()) {
    const char* p = std::strchr(kBase64, c);
    if (c == '=' || p == nullptr || c == '\0') continue;
    buffer = (buffer << 6) | static_cast<unsigned>(p - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return Value::String(std::move(out));
}

std::string Encode(const std::string& s, const char* keep) {
  for (char32_t cp : DecodeUtf8(s)) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      throw Error("D3140", "Malformed URL passed to $encodeUrl(): " + s);
  }
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || (c < 0x80 && c != 0 && std::strchr(keep, c) != nullptr)) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string Decode(const std::string& s, const char* reserved) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      throw Error("D3140", "Malformed URL passed to $decodeUrl(): " + s);
    }
    char c = static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    if (c != 0 && static_cast<unsigned char>(c) < 0x80 && std::strchr(reserved, c) != nullptr) {
      out += s.substr(i, 3);
    } else {
      out += c;
    }
    i += 2;
  }
  // The bytes must spell UTF-8.
  for (std::size_t i = 0; i < out.size();) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= out.size() + (extra == 0 ? 1 : 0)) {
      if (extra != 0) throw Error("D3140", "Malformed URL passed to $decodeUrl(): " + s);
    }
    for (int k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(out[i + static_cast<std::size_t>(k)]) >> 6) != 2) {
        throw Error("D3140", "Malformed URL passed to $decodeUrl(): " + s);
      }
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

Value EncodeUrlComponent(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::String(Encode(v.string(), "-_.!~*'()"));
}

Value EncodeUrl(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::String(Encode(v.string(), "-_.!~*'();/?:@&=+$,#"));
}

Value DecodeUrlComponent(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::String(Decode(v.string(), ""));
}

Value DecodeUrl(Evaluator&, std::vector<Value>& args, const Value&) {
  Value v = Arg(args, 0);
  if (v.undefined()) return {};
  return Value::String(Decode(v.string(), ";/?:@&=+$,#"));
}

}  // namespace

void AddEncodingFunctions(BuiltinTable& t) {
  t["base64encode"] = MakeNative("base64encode", "s-:s", Base64Encode);
  t["base64decode"] = MakeNative("base64decode", "s-:s", Base64Decode);
  t["encodeUrlComponent"] = MakeNative("encodeUrlComponent", "s-:s", EncodeUrlComponent);
  t["encodeUrl"] = MakeNative("encodeUrl", "s-:s", EncodeUrl);
  t["decodeUrlComponent"] = MakeNative("decodeUrlComponent", "s-:s", DecodeUrlComponent);
  t["decodeUrl"] = MakeNative("decodeUrl", "s-:s", DecodeUrl);
}

}  // namespace timeslip::query::jsonata
