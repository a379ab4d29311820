# Generates build_info.hpp with the version and git revision (re-run at every build).
set(IONPATH_BUILD_INFO_DIR ${PROJECT_BINARY_DIR}/generated)
add_custom_target(ionpath_build_info_gen
  COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DOUT=${IONPATH_BUILD_INFO_DIR}/ionpath/build_info.hpp
          -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/write_build_info.cmake
  BYPRODUCTS ${IONPATH_BUILD_INFO_DIR}/ionpath/build_info.hpp
  COMMENT "ionpath build info")
add_library(ionpath_build_info INTERFACE)
add_dependencies(ionpath_build_info ionpath_build_info_gen)
target_include_directories(ionpath_build_info INTERFACE $<BUILD_INTERFACE:${IONPATH_BUILD_INFO_DIR}>)
