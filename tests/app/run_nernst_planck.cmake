# ionpath run with model electroneutral / pnp (bath-to-bath conductivity cell, app/nernst_planck_cell).
# Exact answers: on straight walls along z every column is uniform, so sigma_eff = sum phi sigma and
# t+ = sum phi sigma+ / sum phi sigma at any voltage, and a charged wall gives exactly the conduction
# result of its Donnan state; a homogeneous gel under pnp is uniform and gives the gel's sigma and t+.
# The clay slit example has no closed form: physical bounds, conservation, and 1 vs 2 ranks.
file(REMOVE_RECURSE ${WORK})  # files of an earlier run must not pass for this one's
include(${CMAKE_CURRENT_LIST_DIR}/check_helpers.cmake)
function(run_case name ranks)
  ionpath_run(${name} ${ranks} ${ARGN})
  foreach(key sigma_eff_S_m t_plus flux_balance sigma_rel)
    summary_value(v ${name} ${key})
    set(${name}_${key} ${v} PARENT_SCOPE)
    set(${key} ${v})
  endforeach()
  message(STATUS "${name}: sigma_eff ${sigma_eff_S_m} S/m, t+ ${t_plus}")
endfunction()

set(z --set "experiment.axes=[z]" --set experiment.type=conductivity)
run_case(en_walls 2 ${WALLS} ${z} --set experiment.conductivity.model=electroneutral --set experiment.conductivity.voltage_V=0.005)
check_close("electroneutral sigma, parallel walls" ${en_walls_sigma_eff_S_m} 0.0553 1e-8)
check_close("electroneutral t+, parallel walls" ${en_walls_t_plus} 0.4742857142857143 1e-8)

set(charged --set phases.wall.fixed_charge_mol_m3=500)
run_case(en_charged 1 ${WALLS} ${z} --set experiment.conductivity.model=electroneutral ${charged})
ionpath_run(linear_charged 1 ${WALLS} --set "experiment.axes=[z]" --set experiment.type=transference ${charged})
summary_value(sigma_lin linear_charged sigma_eff_S_m)
summary_value(t_lin linear_charged t_plus_linear)
check_close("electroneutral vs conduction sigma (charged walls)" ${en_charged_sigma_eff_S_m} ${sigma_lin} 1e-7)
check_close("electroneutral vs linear t+ (charged walls)" ${en_charged_t_plus} ${t_lin} 1e-7)
# The same walls on 16 x 40 x 50 = 32 000 cells, beyond the direct-solver limit: Newton runs GMRES
# with the AMG preconditioner and the adaptive linear tolerance, and must give the same exact answers.
set(big --set "grid.n_cells=[16,40,50]" --set output.fields=false)
run_case(en_walls_amg 2 ${WALLS} ${z} --set experiment.conductivity.model=electroneutral --set experiment.conductivity.voltage_V=0.005 ${big})
check_close("electroneutral sigma, parallel walls, iterative" ${en_walls_amg_sigma_eff_S_m} 0.0553 1e-8)
check_close("electroneutral t+, parallel walls, iterative" ${en_walls_amg_t_plus} 0.4742857142857143 1e-8)
run_case(en_charged_amg 2 ${WALLS} ${z} --set experiment.conductivity.model=electroneutral ${charged} ${big})
check_close("electroneutral vs conduction sigma (charged walls), iterative" ${en_charged_amg_sigma_eff_S_m} ${sigma_lin} 1e-7)
check_close("electroneutral vs linear t+ (charged walls), iterative" ${en_charged_amg_t_plus} ${t_lin} 1e-7)

run_case(pnp_gel 2 ${GEL} --set experiment.conductivity.model=pnp --set experiment.type=conductivity --set grid.voxel_size_m=4e-11
         --set "grid.n_cells=[3,3,12]")
check_close("pnp sigma_rel, homogeneous gel" ${pnp_gel_sigma_rel} 1.0 1e-8)
check_close("pnp t+, homogeneous gel" ${pnp_gel_t_plus} 0.42 1e-8)

# The slit: 1/7 of the section is clay, yet double-layer conduction along the negative sheets
# raises sigma above the open fraction and Li+ carries more of the current than in the gel.
set(slit --set "grid.n_cells=[175,60,1]")
run_case(slit1 1 ${SLIT} ${slit})
run_case(slit2 2 ${SLIT} ${slit})
check_between("slit sigma_rel" ${slit1_sigma_rel} 0.8572 1.5)
check_between("slit t+" ${slit1_t_plus} 0.45 1.0)
check_between("slit flux balance" ${slit1_flux_balance} 0.0 1e-8)
check_close("slit sigma, 2 vs 1 ranks" ${slit2_sigma_eff_S_m} ${slit1_sigma_eff_S_m} 1e-8)
check_close("slit t+, 2 vs 1 ranks" ${slit2_t_plus} ${slit1_t_plus} 1e-8)
# The slit extruded along z (periodic, 35 000 cells: beyond the direct-solver limit, so Newton runs
# GMRES + GAMG) equals the 2D slit solved with LU.
run_case(slit2d 1 ${SLIT} --set "grid.n_cells=[175,20,1]" --set output.fields=false)
run_case(slit3d 2 ${SLIT} --set "grid.n_cells=[175,20,10]" --set output.fields=false)
check_close("slit sigma, 3D extrusion (GAMG) vs 2D (LU)" ${slit3d_sigma_eff_S_m} ${slit2d_sigma_eff_S_m} 1e-8)
check_close("slit t+, 3D extrusion (GAMG) vs 2D (LU)" ${slit3d_t_plus} ${slit2d_t_plus} 1e-8)
foreach(f fields_y.h5 fields_y.pvd)
  if(NOT EXISTS ${WORK}/slit1/${f})
    message(FATAL_ERROR "slit run did not write ${f}")
  endif()
endforeach()

# A Newton solve that cannot converge (one iteration allowed) exits 1 with the reason and a hint,
# and writes no summary.json.
execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${IONPATH} run ${WALLS} ${z} --set experiment.conductivity.model=electroneutral ${charged}
                        --output ${WORK}/diverged -- -en_snes_max_it 1
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1 OR NOT err MATCHES "DIVERGED_MAX_IT.*Hint: " OR EXISTS ${WORK}/diverged/summary.json)
  message(FATAL_ERROR "diverged run: status ${status}, summary written: ${out}${err}")
endif()
