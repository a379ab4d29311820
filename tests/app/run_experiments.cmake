# ionpath run: linear Bruce-Vincent t+ on parallel walls (exact: sum phi sigma+ / sum phi sigma)
# and the Arrhenius sweep of a homogeneous gel (ln(sigma T) fit returns E_a = 20 kJ/mol exactly).
file(REMOVE_RECURSE ${WORK})  # files of an earlier run must not pass for this one's
include(${CMAKE_CURRENT_LIST_DIR}/check_helpers.cmake)

ionpath_run(transference 2 ${WALLS} --set experiment.type=transference --set "experiment.axes=[z]")
file(READ ${WORK}/transference/summary.json s)
string(JSON tp GET "${s}" axes 0 t_plus_linear)
# gel: sigma 0.0632, t+ 0.42 (75 %); wall along z: sigma 0.0316, t+ 0.8 (25 %).
check_close("t+ parallel walls" ${tp} 0.4742857142857143 1e-9)

ionpath_run(arrhenius 2 ${GEL} --set experiment.type=arrhenius --set "grid.n_cells=[6,6,8]")
file(READ ${WORK}/arrhenius/summary.json s)
string(JSON ea GET "${s}" axes 0 E_a_ln_sigmaT_kJ_mol)
check_close("E_a from ln(sigma T)" ${ea} 20.0 1e-8)
if(NOT EXISTS ${WORK}/arrhenius/arrhenius_z.csv)
  message(FATAL_ERROR "missing arrhenius_z.csv")
endif()
message(STATUS "t+ = ${tp}, E_a = ${ea} kJ/mol")

# Bruce-Vincent from the steady electroneutral solve: homogeneous gel at 10 mV gives
# t+ tanh(u)/u (spec §8 item 6); a charged-wall composite at 1 mV equals the linear shortcut.
ionpath_run(bv_gel 2 ${GEL} --set experiment.type=bruce_vincent --set "grid.n_cells=[3,3,40]")
file(READ ${WORK}/bv_gel/summary.json s)
string(JSON bv GET "${s}" axes 0 t_plus)
check_close("Bruce-Vincent t+ of the gel at 10 mV" ${bv} 0.4186795 2e-4)
ionpath_run(bv_walls 2 ${WALLS} --set experiment.type=bruce_vincent --set "experiment.axes=[z]" --set experiment.bruce_vincent.voltage_V=0.001
         --set phases.wall.fixed_charge_mol_m3=500)
file(READ ${WORK}/bv_walls/summary.json s)
string(JSON bv GET "${s}" axes 0 t_plus)
string(JSON lin GET "${s}" axes 0 t_plus_linear)
check_close("steady vs linear t+ (charged walls, 1 mV)" ${bv} ${lin} 2e-3)
message(STATUS "Bruce-Vincent: walls t+ ${bv} vs linear ${lin}")
