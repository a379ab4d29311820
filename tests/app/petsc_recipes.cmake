# Every recipe in configs/petsc/ runs: its petsc_options are passed with --set to a small run of the
# matching model, and PETSc must report no unused option (-options_left), so a misspelt key fails.
file(GLOB recipes ${SOURCE}/configs/petsc/*.yaml)
foreach(recipe ${recipes})
  file(STRINGS ${recipe} lines REGEX "^  [a-z_]+: ")
  set(sets "")
  foreach(line ${lines})
    string(REGEX REPLACE "^  ([a-z_]+): (.*)$" "petsc_options.\\1=\\2" kv "${line}")
    list(APPEND sets --set "${kv}")
  endforeach()
  get_filename_component(name ${recipe} NAME_WE)
  if(name MATCHES "^electroneutral")
    set(model --set experiment.conductivity.model=electroneutral --set experiment.type=conductivity)
  elseif(name MATCHES "^pnp")
    set(model --set experiment.conductivity.model=pnp --set experiment.type=conductivity --set grid.voxel_size_m=4e-11)
  else()
    set(model --set experiment.type=conductivity --set experiment.conduction_solver=assembled)  # the cond_ recipe
  endif()
  execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${IONPATH} run ${GEL} --set "grid.n_cells=[16,16,32]" ${model} ${sets}
                          --set output.fields=false --output ${WORK}/${name} -- -options_left
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0 OR out MATCHES "Option left" OR err MATCHES "Option left")
    message(FATAL_ERROR "recipe ${name} (${sets}) failed (${status}):\n${out}${err}")
  endif()
  message(STATUS "recipe ${name}: ok")
endforeach()
