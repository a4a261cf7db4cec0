#include "engine/models.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "base/file.h"
#include "base/hash.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

const fs::path kShipped = fs::path(DUET_SOURCE_DIR) / "models";

// Sets DUET_MODELS for one test and puts it back after.
class ModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* v = std::getenv("DUET_MODELS")) saved_ = v;
    ::unsetenv("DUET_MODELS");
    dir_ = fs::temp_directory_path() / ("duet-models-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (saved_) {
      ::setenv("DUET_MODELS", saved_->c_str(), 1);
    } else {
      ::unsetenv("DUET_MODELS");
    }
    fs::remove_all(dir_);
  }
  std::optional<std::string> saved_;
  fs::path dir_;
};

TEST_F(ModelsTest, NotBesideTheExecutableNamesEveryPlaceLooked) {
  // The test program's folder holds no models/: nothing is found, and the working directory (the
  // source tree's models/ may be there) is never asked.
  const fs::path cwd = fs::current_path();
  fs::current_path(DUET_SOURCE_DIR);
  const auto found = find_models_dir();
  fs::current_path(cwd);
  ASSERT_FALSE(found);
  const std::string& m = found.error().message;
  EXPECT_NE(m.find((executable_dir() / "models").string()), std::string::npos) << m;
  EXPECT_NE(m.find("share/duet/models"), std::string::npos) << m;
  EXPECT_NE(m.find("--models DIR"), std::string::npos) << m;
  EXPECT_NE(m.find("DUET_MODELS"), std::string::npos) << m;
}

TEST_F(ModelsTest, TheEnvironmentNamesTheFolderAndAWrongOneIsAnError) {
  ::setenv("DUET_MODELS", kShipped.c_str(), 1);
  const auto found = find_models_dir();
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, kShipped);

  ::setenv("DUET_MODELS", dir_.c_str(), 1);  // holds nothing
  const auto wrong = find_models_dir();
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find(dir_.string()), std::string::npos);
}

TEST_F(ModelsTest, AFolderAskedForMustExistAndComesFirst) {
  ::setenv("DUET_MODELS", dir_.c_str(), 1);  // wrong, but the request comes first
  const auto found = find_models_dir(kShipped.string());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, kShipped);
  const auto missing = find_models_dir((dir_ / "nowhere").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nowhere"), std::string::npos);
}

TEST_F(ModelsTest, LoadsTheDefaultsWithTheirHashesAndNamesThemShipped) {
  ModelsRequest request;
  request.dir = kShipped.string();
  request.want_chords = true;
  const auto models = load_models(request);
  ASSERT_TRUE(models) << models.error().message;
  ASSERT_TRUE(models->melody.has_value());
  ASSERT_TRUE(models->chords.has_value());
  const auto bytes = base::read_file(kShipped / kMelodyModelFile);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(models->melody_file.hash,
            base::hex64(base::stable_hash(
                std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()))));
  EXPECT_TRUE(models->melody_file.shipped);
  EXPECT_EQ(models->melody_file.name(), "default.duetmodel (shipped)");
  EXPECT_EQ(models->chord_file.name(), "default-chords.duetmodel (shipped)");
  EXPECT_NE(models->melody_file.hash, models->chord_file.hash);
}

TEST_F(ModelsTest, AFileNamedIsReadAsItIsAndNoneMeansNone) {
  const fs::path copy = dir_ / "mine.duetmodel";
  fs::copy_file(kShipped / kMelodyModelFile, copy);
  ModelsRequest request;
  request.melody = copy.string();
  request.want_chords = true;
  request.chords = kNoModel;
  // No models folder is needed: nothing is asked of it.
  const auto models = load_models(request);
  ASSERT_TRUE(models) << models.error().message;
  EXPECT_TRUE(models->melody.has_value());
  EXPECT_FALSE(models->melody_file.shipped);
  EXPECT_EQ(models->melody_file.name(), copy.string());
  EXPECT_FALSE(models->chords.has_value());
  EXPECT_EQ(models->chord_file.name(), "");

  // A default asked for with no folder to be found is an error, not a quiet "none".
  ModelsRequest defaults;
  const auto none_found = load_models(defaults);
  ASSERT_FALSE(none_found);
}

TEST_F(ModelsTest, ABrokenModelFileIsAnErrorNamingIt) {
  const fs::path bad = dir_ / "bad.duetmodel";
  ASSERT_TRUE(base::write_file_atomic(bad, std::string_view("DUETMODL but nothing else")));
  ModelsRequest request;
  request.melody = bad.string();
  const auto models = load_models(request);
  ASSERT_FALSE(models);
  EXPECT_NE(models.error().message.find("bad.duetmodel"), std::string::npos)
      << models.error().message;
}

}  // namespace
}  // namespace duet::engine
