# ionpath writes a small aligned-wall field output on 2 ranks (.pvd -> .pvti -> pieces); ParaView
# must open it, find every array and render PNGs. Two damaged copies (a missing array, a truncated
# piece) must make the same check fail, so a pass means ParaView really read the files.
file(REMOVE_RECURSE ${WORK})
include(${CMAKE_CURRENT_LIST_DIR}/../app/check_helpers.cmake)
find_program(pvbatch pvbatch)
find_program(xvfb xvfb-run)
if(NOT pvbatch OR NOT xvfb)
  message(FATAL_ERROR "pvbatch or xvfb-run not found: run scripts/setup.sh (installs paraview and xvfb)")
endif()

ionpath_run(aligned 2 ${CONFIG} --set "grid.n_cells=[40,4,24]" --set experiment.type=conductivity)
set(pvd ${WORK}/aligned/fields_z.pvd)

function(render expect_ok what)
  execute_process(COMMAND ${PVBATCH} ${RENDER} ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(expect_ok AND NOT status EQUAL 0)
    message(FATAL_ERROR "ParaView could not ${what} (${status}):\n${out}${err}")
  elseif(NOT expect_ok AND status EQUAL 0)
    message(FATAL_ERROR "ParaView check passed on ${what}; it must fail:\n${out}${err}")
  endif()
  set(render_output "${out}${err}" PARENT_SCOPE)
endfunction()

set(arrays phase,active,potential,current_density,current_density_magnitude)
render(TRUE "read and render ${pvd}" --arrays ${arrays} --out ${WORK}/png ${pvd})
foreach(a phase potential current_density_magnitude)
  if(NOT EXISTS ${WORK}/png/paraview_aligned_fields_z_${a}.png)
    message(FATAL_ERROR "ParaView wrote no image of ${a}:\n${render_output}")
  endif()
endforeach()

render(FALSE "a missing array" --arrays potential,no_such_array ${pvd})
if(NOT render_output MATCHES "missing cell array")
  message(FATAL_ERROR "the missing array was not named:\n${render_output}")
endif()

file(COPY ${WORK}/aligned/ DESTINATION ${WORK}/damaged)
file(GLOB pieces ${WORK}/damaged/fields_z/*.vti)
list(GET pieces 0 piece)
file(READ ${piece} text LIMIT 2000)
file(WRITE ${piece} "${text}")
render(FALSE "a truncated piece (${piece})" --arrays potential ${WORK}/damaged/fields_z.pvd)
message(STATUS "ParaView read ${pvd} with ${arrays}, and rejected a missing array and a truncated piece")
