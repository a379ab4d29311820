// Calibration files, parameter files and what they need from the run config: SHA-256 vectors;
// every bad calibration file stops with file:line:col and key; a parameter file's values win over
// the file and name file:line in errors; chi -> X (spec §7.1); a D given from outside wins over
// the file's (sigma_S_m, t_plus).
#include <gtest/gtest.h>

#include <fstream>

#include "io/calibration_config.hpp"
#include "io/config.hpp"
#include "io/params_file.hpp"
#include "io/sha256.hpp"
#include "physics/conductivity.hpp"

namespace io = ionpath::io;
namespace fs = std::filesystem;

namespace {

fs::path dir_of_test() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::temp_directory_path() / ("ionpath_calibration_config_test_" + std::string(info->name()));
  fs::create_directories(dir);
  return dir;
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = dir_of_test() / name;
  std::ofstream(p) << text;
  return p;
}

const char* run_yaml = R"(grid: {n_cells: [4, 4, 4], voxel_size_m: 0.5e-6}
geometry: {structure: pure_gel, transport_axis: z}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {fixed_charge_mol_m3: 100}
)";

const char* calibration_yaml = R"(structures:
  - name: gel
    config: run.yaml
    set: ["grid.n_cells=[2,2,2]"]
parameters:
  - name: D_plus
    keys: [phases.gel.D_plus_m2_s]
    bounds: [1.0e-11, 4.0e-11]
    scale: log
    start: 1.8e-11
  - name: chi
    keys: [phases.wall.active_sites.fraction]
    bounds: [0.01, 0.99]
    scale: logit
targets:
  - {structure: gel, quantity: sigma_S_m, value: 0.0632}
  - {structure: gel, quantity: t_plus, value: 0.42, uncertainty: 0.02}
starts: 3
)";

std::string error_of(const std::string& calibration) {
  write("run.yaml", run_yaml);
  const fs::path p = write("cal.yaml", calibration);
  try {
    static_cast<void>(io::load_calibration_config(p));
  } catch (const io::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(io::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(io::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(io::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(io::sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(CalibrationConfig, ParsesEveryField) {
  write("run.yaml", run_yaml);
  const auto c = io::load_calibration_config(write("cal.yaml", calibration_yaml));
  ASSERT_EQ(c.structures.size(), 1u);
  EXPECT_EQ(c.structures[0].overrides, std::vector<std::string>{"grid.n_cells=[2,2,2]"});
  EXPECT_EQ(c.structures[0].config, dir_of_test() / "run.yaml");
  ASSERT_EQ(c.parameters.size(), 2u);
  EXPECT_EQ(c.parameters[1].scale, io::ParameterScale::logit);
  EXPECT_DOUBLE_EQ(*c.parameters[0].start, 1.8e-11);
  EXPECT_DOUBLE_EQ(c.targets[0].uncertainty, 0.05);  // spec §7.2 defaults
  EXPECT_DOUBLE_EQ(c.targets[1].uncertainty, 0.02);
  EXPECT_EQ(c.targets[1].quantity, io::TargetQuantity::t_plus);
  EXPECT_EQ(c.starts, 3);
  EXPECT_EQ(c.tao_type, "brgn");
  EXPECT_EQ(c.sha256.size(), 64u);
}

TEST(CalibrationConfig, BadFilesNameFileLineAndKey) {
  const std::string y = calibration_yaml;
  EXPECT_NE(error_of(replaced(y, "bounds: [1.0e-11, 4.0e-11]", "bounds: [4.0e-11, 1.0e-11]"))
                .find("cal.yaml:8:13: key 'parameters[0].bounds': expected finite lower < upper"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(y, "structure: gel, quantity: t_plus", "structure: gle, quantity: t_plus"))
                .find("cal.yaml:17:17: key 'targets[1].structure': no structure named 'gle' (did you mean 'gel'?)"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(y, "scale: logit", "scale: logrithmic")).find("cal.yaml:14:12: key 'parameters[1].scale'"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(y, "starts: 3", "strats: 3")).find("cal.yaml:18:1: key 'strats': unknown key (did you mean 'starts'?)"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(y, "start: 1.8e-11", "start: 9.0e-11")).find("key 'parameters[0].start': start outside the bounds"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(y, "config: run.yaml", "config: none.yaml")).find("cal.yaml:3:13: key 'structures[0].config': no such file"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(y, "bounds: [1.0e-11, 4.0e-11]", "bounds: [0.0, 4.0e-11]")).find("scale log needs a positive lower bound"),
            std::string::npos);
  // A key path the run config does not know: named with the parameter that set it.
  const std::string e = error_of(replaced(y, "phases.gel.D_plus_m2_s", "phases.gel.D_plus_m2"));
  EXPECT_NE(e.find("key 'phases.gel.D_plus_m2': unknown key"), std::string::npos) << e;
  EXPECT_NE(e.find("by calibration parameter 'D_plus'"), std::string::npos) << e;
}

TEST(ParamsFile, ValuesWinAndErrorsNameTheFileLine) {
  const fs::path run = write("run.yaml", run_yaml);
  const fs::path p = write("p.yaml", "# a comment\nparameters:\n  phases.gel.D_plus_m2_s: 2.0e-11\n  phases.wall.fixed_charge_mol_m3: 300\n");
  const io::ParamsFile params = io::load_params_file(p);
  EXPECT_EQ(params.sha256, io::sha256_file_hex(p));
  ASSERT_EQ(params.overrides.size(), 2u);
  EXPECT_EQ(params.overrides[0].origin, "in " + p.string() + ":3");
  const io::RunConfig c = io::load_config(run, &params, {"phases.wall.fixed_charge_mol_m3=400"});
  EXPECT_DOUBLE_EQ(c.phase("gel").D_plus_m2_s, 2.0e-11);       // params win over the file's (sigma, t+)
  EXPECT_DOUBLE_EQ(c.phase("wall").fixed_charge_mol_m3, 400.0);  // --set wins over params
  EXPECT_EQ(c.params_file, p.string());
  EXPECT_EQ(c.params_sha256, params.sha256);
  // D- still from the file's (sigma_S_m, t_plus).
  const auto d = ionpath::physics::diffusivities_from_conductivity(0.0632, 0.42, 390.0, 298.15);
  EXPECT_DOUBLE_EQ(c.phase("gel").D_minus_m2_s, d.D_minus_m2_s);

  const fs::path bad = write("bad.yaml", "parameters:\n  phases.gel.D_plus_m2_s: 2.0e-11\n  phases.gel.D_plux_m2_s: 1.0e-11\n");
  const io::ParamsFile b = io::load_params_file(bad);
  try {
    static_cast<void>(io::load_config(run, &b, {}));
    FAIL() << "no error";
  } catch (const io::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("key 'phases.gel.D_plux_m2_s': unknown key"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("in " + bad.string() + ":3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(static_cast<void>(io::load_params_file(write("x.yaml", "params: {a: 1}\n"))), io::ConfigError);
  EXPECT_THROW(static_cast<void>(io::load_params_file(write("y.yaml", "parameters: {a: [1, 2]}\n"))), io::ConfigError);
}

TEST(ParamsFile, WrittenTextLoadsBack) {
  const std::string text = io::params_file_text({"header"}, {{"phases.gel.D_plus_m2_s", 1.0 / 3.0 * 1e-10, "SE 1e-12"}},
                                                {{"calibration_sha256", "abc"}, {"date_utc", "2026-01-01T00:00:00Z"}});
  const io::ParamsFile p = io::load_params_file(write("w.yaml", text));
  ASSERT_EQ(p.overrides.size(), 1u);
  const auto& a = p.overrides[0].assignment;
  EXPECT_EQ(a.rfind("phases.gel.D_plus_m2_s=", 0), 0u);
  EXPECT_EQ(std::stod(a.substr(a.find('=') + 1)), 1.0 / 3.0 * 1e-10);  // 17 digits: exact round trip
}

TEST(ActiveSites, FixedChargeFromChi) {
  // X = chi CEC rho phi / kappa: chi = 1 gives 0.9 * 2700 * 0.43 / 0.5 = 2089.8 mol/m3 (spec §7.1).
  const fs::path run = write("run.yaml", run_yaml);
  const io::RunConfig c = io::load_config(run, {"phases.wall.active_sites.fraction=0.3"});
  EXPECT_NEAR(c.phase("wall").fixed_charge_mol_m3, 0.3 * 2089.8, 1e-9);
  const fs::path both = write("both.yaml", replaced(run_yaml, "wall: {fixed_charge_mol_m3: 100}",
                                                    "wall: {fixed_charge_mol_m3: 100, active_sites: {fraction: 0.2}}"));
  try {
    static_cast<void>(io::load_config(both));
    FAIL() << "no error";
  } catch (const io::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("key 'phases.wall.active_sites': inconsistent"), std::string::npos) << e.what();
  }
}

}  // namespace
