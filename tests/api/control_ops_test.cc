// The /_timeslip/ clock routes.
#include <gtest/gtest.h>

#include "emulator/services/control/service.h"
#include "tests/api/hosted_router.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::Body;
using testing::ErrorType;
using testing::HostedRouter;
using testing::TestOptions;

TEST(ControlOpsTest, ClockShowsModeAndNow) {
  HostedRouter api;
  Response r = api.Control("GET", "/_timeslip/clock");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(Body(r), (Json{{"mode", "virtual"},
                           {"now", "2024-01-01T00:00:00.000Z"},
                           {"epochMillis", 1704067200000}}));
  HostedRouter manual(TestOptions(engine::ClockMode::kManual));
  EXPECT_EQ(Body(manual.Control("GET", "/_timeslip/clock"))["mode"], "manual");
}

TEST(ControlOpsTest, AdvanceMovesTheClockAndAnswersWithIt) {
  HostedRouter api;
  Response r = api.Control("POST", "/_timeslip/clock/advance", R"({"seconds": 90.5})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r), (Json{{"mode", "virtual"},
                           {"now", "2024-01-01T00:01:30.500Z"},
                           {"epochMillis", 1704067290500}}));
  EXPECT_EQ(Body(api.Control("GET", "/_timeslip/clock"))["epochMillis"], 1704067290500);
  EXPECT_EQ(Body(api.Control("POST", "/_timeslip/clock/advance", R"({"seconds": 0})"))["now"],
            "2024-01-01T00:01:30.500Z");
}

TEST(ControlOpsTest, AdvanceRefusesBadSecondsAndWallClocks) {
  HostedRouter api;
  for (std::string_view body : {R"({})", R"({"seconds":-1})", R"({"seconds":"5"})",
                                R"({"seconds":null})", R"({"seconds":1e300})", R"([1])", "{"}) {
    Response r = api.Control("POST", "/_timeslip/clock/advance", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(ErrorType(r), std::string_view(body) == "{" || body == "[1]"
                                ? "SerializationException"
                                : "ValidationException")
        << body;
    EXPECT_EQ(api.Control("GET", "/_timeslip/clock").status, 200);
  }
  EXPECT_EQ(api.Control("GET", "/_timeslip/clock/advance").status, 405);

  engine::EmulatorOptions wall = TestOptions(engine::ClockMode::kWall);
  HostedRouter wall_api(wall);
  Response r = wall_api.Control("POST", "/_timeslip/clock/advance", R"({"seconds":1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "ValidationException");
  EXPECT_EQ(Body(wall_api.Control("GET", "/_timeslip/clock"))["mode"], "wall");
}

TEST(ControlOpsTest, HealthIsServed) {
  HostedRouter api;
  Response r = api.Control("GET", "/_timeslip/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), (Json{{"status", "ok"}}));
}

}  // namespace
}  // namespace timeslip::api
