"""The Dask engine on a LocalCluster of two worker processes gives the local engine's output, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclaims.batch import BatchOptions, discover, errors_path_for, run_batch

pytest.importorskip("distributed", reason="the Dask engine needs the dask extra")


def test_dask_local_cluster_matches_local_engine(tmp_path: Path, nlp) -> None:
    from distributed import LocalCluster

    from test_batch import make_folder

    src = make_folder(tmp_path, n_text=5)
    files = discover([str(src)]).files
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_batch(files, local, BatchOptions(workers=1, chunk_size=3))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_batch(
            files, dask, BatchOptions(engine="dask", scheduler=cluster.scheduler_address, workers=2, chunk_size=3)
        )
        assert len(cluster.workers) == 2
    assert summary.failed == 1 and summary.written == len(files) - 1
    assert dask.read_bytes() == local.read_bytes()
    assert errors_path_for(dask).read_bytes() == errors_path_for(local).read_bytes()
