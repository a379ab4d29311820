#!/bin/sh
# The temperature prediction 0-65 C for the three electrolytes of Li et al. (2022) and its
# Arrhenius plot: three `ionpath run` (experiment.type arrhenius) and plot_arrhenius.py.
#   examples/paper_temperature/run.sh [OUT_DIR] [RANKS]     (default out/paper_temperature, 2)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-out/paper_temperature}
ranks=${2:-2}
ionpath=${IONPATH:-$root/build/app/ionpath}
for name in pure_gel random_mmt aligned_mmt; do
  mpiexec -n "$ranks" "$ionpath" run "$here/$name.yaml" --output "$out/$name"
done
/usr/bin/python3 "$here/plot_arrhenius.py" "$out/arrhenius.png" \
  "pure gel=$out/pure_gel" "random MMT=$out/random_mmt" "aligned MMT=$out/aligned_mmt"
