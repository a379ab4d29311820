# Installs the ionpath binary, libraries, headers and a CMake package (find_package(ionpath)).
include(CMakePackageConfigHelpers)
foreach(layer physics mesh solver io study calibrate warnings build_info)
  set_target_properties(ionpath_${layer} PROPERTIES EXPORT_NAME ${layer})   # -> ionpath::<layer>
endforeach()
install(TARGETS ionpath_physics ionpath_mesh ionpath_solver ionpath_io ionpath_study ionpath_calibrate ionpath_warnings ionpath_build_info
        EXPORT ionpathTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ionpath RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(dir physics mesh solver io study calibrate)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ionpath/${dir}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(FILES ${IONPATH_BUILD_INFO_DIR}/ionpath/build_info.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ionpath/ionpath)
install(EXPORT ionpathTargets NAMESPACE ionpath:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ionpath)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ionpathConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ionpathConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ionpath)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ionpathConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ionpathConfig.cmake ${PROJECT_BINARY_DIR}/ionpathConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ionpath)
