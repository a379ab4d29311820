#pragma once
// Helpers for mesh tests: stitching block-wise generation, serial percolation by flood fill.
#include <array>
#include <barrier>
#include <thread>
#include <functional>
#include <queue>
#include <vector>

#include "mesh/generate.hpp"

namespace ionpath::mesh::test {

inline std::vector<Label> copy(const LabelBlock& b) { return {b.labels().begin(), b.labels().end()}; }

inline double clay_fraction(const LabelBlock& b) {
  std::size_t n = 0;
  for (const Label l : b.labels()) n += is_clay_like(l) ? 1 : 0;
  return static_cast<double>(n) / static_cast<double>(b.labels().size());
}

/// Generates the grid as split[0] x split[1] x split[2] uneven blocks and stitches the labels.
/// The blocks' fraction counts are summed like an MPI_Allreduce would.
inline std::vector<Label> stitched(const Grid& grid, const GeometryParams& p, std::array<int, 3> split) {
  std::vector<Box> boxes;
  for (int bz = 0; bz < split[2]; ++bz)
    for (int by = 0; by < split[1]; ++by)
      for (int bx = 0; bx < split[0]; ++bx) {
        Box b;
        const std::array<int, 3> idx{bx, by, bz};
        for (int a = 0; a < 3; ++a) {
          // Uneven cuts: the first block is smaller than the rest.
          auto cut = [&](int s) { return s == 0 ? 0 : s == split[a] ? grid.n_cells[a] : (grid.n_cells[a] * (2 * s + 1)) / (2 * split[a] + 1); };
          b.lo[a] = cut(idx[a]);
          b.hi[a] = cut(idx[a] + 1);
        }
        boxes.push_back(b);
      }
  std::vector<Label> out(grid.n_total(), 255);
  // One thread per block emulates one MPI rank; sum() is an all-reduce over the threads.
  const std::size_t n = boxes.size();
  std::vector<std::vector<double>> slots(n);
  std::barrier sync(static_cast<std::ptrdiff_t>(n));
  std::vector<GeneratedBlock> blocks(n);
  std::vector<std::thread> threads;
  for (std::size_t r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      SumInPlace allreduce = [&](std::span<double> v) {
        slots[r].assign(v.begin(), v.end());
        sync.arrive_and_wait();
        std::fill(v.begin(), v.end(), 0.0);
        for (std::size_t o = 0; o < n; ++o)
          for (std::size_t i = 0; i < v.size(); ++i) v[i] += slots[o][i];
        sync.arrive_and_wait();
      };
      blocks[r] = generate_block(grid, p, boxes[r], allreduce);
    });
  for (auto& t : threads) t.join();
  for (std::size_t r = 0; r < n; ++r) {
    const Box& b = boxes[r];
    for (int k = b.lo[2]; k < b.hi[2]; ++k)
      for (int j = b.lo[1]; j < b.hi[1]; ++j)
        for (int i = b.lo[0]; i < b.hi[0]; ++i) out[grid.whole().offset(i, j, k)] = blocks[r].labels.at(i, j, k);
  }
  return out;
}

/// 6-connected flood fill of cells with `in(label)`: does a cluster touch both faces normal to axis?
inline bool percolates(const LabelBlock& b, const std::function<bool(Label)>& in, int axis) {
  const Box& box = b.box();
  std::vector<char> seen(box.n_cells(), 0);
  std::queue<std::array<int, 3>> q;
  for (int k = box.lo[2]; k < box.hi[2]; ++k)
    for (int j = box.lo[1]; j < box.hi[1]; ++j)
      for (int i = box.lo[0]; i < box.hi[0]; ++i) {
        const std::array<int, 3> c{i, j, k};
        if (c[axis] == box.lo[axis] && in(b.at(i, j, k))) {
          seen[box.offset(i, j, k)] = 1;
          q.push(c);
        }
      }
  while (!q.empty()) {
    const auto c = q.front();
    q.pop();
    if (c[axis] == box.hi[axis] - 1) return true;
    for (int a = 0; a < 3; ++a)
      for (int s : {-1, 1}) {
        auto n = c;
        n[a] += s;
        if (n[a] < box.lo[a] || n[a] >= box.hi[a]) continue;
        const auto o = box.offset(n[0], n[1], n[2]);
        if (seen[o] || !in(b.at(n[0], n[1], n[2]))) continue;
        seen[o] = 1;
        q.push(n);
      }
  }
  return false;
}

}  // namespace ionpath::mesh::test
