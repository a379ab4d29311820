// Progress lines of long runs (study/progress.hpp): the log-time fraction, the throttle, and that
// quiet (and ranks other than 0) print nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <sstream>

#include "study/progress.hpp"

namespace st = ionpath::study;

TEST(Progress, LogTimeFraction) {
  const double tau = 50.0, dt0 = 1e-6 * tau;
  EXPECT_EQ(st::log_time_fraction(dt0, dt0, 10 * tau, tau), 0.0);
  EXPECT_NEAR(st::log_time_fraction(10 * tau, dt0, 10 * tau, tau), 1.0, 1e-15);
  // Half-way in log time between 1e-6 tau and 10 tau is 3.16e-3 tau.
  EXPECT_NEAR(st::log_time_fraction(std::sqrt(1e-6 * 10) * tau, dt0, 10 * tau, tau), 0.5, 1e-12);
  // Until steady: the end is guessed at 15 tau_d, and never reported as done.
  EXPECT_NEAR(st::log_time_fraction(std::sqrt(1e-6 * 15) * tau, dt0, 0.0, tau), 0.5, 1e-12);
  EXPECT_EQ(st::log_time_fraction(100 * tau, dt0, 0.0, tau), 0.99);
}

TEST(Progress, ThrottledOnRankZeroAndSilencedByQuiet) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  {
    st::Progress loud(MPI_COMM_WORLD, false, "test", /*interval_s=*/0.0);
    loud.report(0.5, "step 1");
    st::Progress throttled(MPI_COMM_WORLD, false, "slow", /*interval_s=*/1e6);
    throttled.report(0.5, "never");  // the first line waits for the interval too
    st::Progress quiet(MPI_COMM_WORLD, true, "quiet", 0.0);
    quiet.report(0.5, "hidden");
    quiet.finish("hidden");
  }
  std::cout.rdbuf(old);
  const std::string s = captured.str();
  if (rank == 0) {
    EXPECT_NE(s.find("test: step 1, wall "), std::string::npos) << s;
    EXPECT_NE(s.find(" left"), std::string::npos) << s;
  } else {
    EXPECT_TRUE(s.empty()) << s;
  }
  EXPECT_EQ(s.find("never"), std::string::npos);
  EXPECT_EQ(s.find("hidden"), std::string::npos);
}
