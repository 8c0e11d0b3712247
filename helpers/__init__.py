"""Helpers for the distml-notebooks series: distributed linear regression on Apache Spark.

One module per concept:

- :mod:`helpers.environment` checks Python, Java and the data (standard library only);
- :mod:`helpers.session` starts Spark (``DISTML_SPARK_MASTER`` picks the master);
- :mod:`helpers.sparkui` says where the browser reaches the Spark UI (through a hub's proxy);
- :mod:`helpers.progress` shows progress under a running cell (loops, and Spark's jobs);
- :mod:`helpers.resources` reads the CPUs and memory a container (cgroup) or machine allows;
- :mod:`helpers.datafiles` finds, downloads and verifies ``millionsong.txt``;
- :mod:`helpers.datasets` turns data into RDDs of LabeledPoint or numpy blocks;
- :mod:`helpers.linreg` is least squares on blocks (derived in notebook 01);
- :mod:`helpers.gradient_descent` is the lecture's gradient descent on blocks (notebook 02);
- :mod:`helpers.metrics`, :mod:`helpers.timing`, :mod:`helpers.costmodel` measure and predict;
- :mod:`helpers.meter` reads what Spark jobs moved (derived in notebook 03);
- :mod:`helpers.memory` measures the memory hierarchy: RAM, disk, loopback, shuffle (notebook 03);
- :mod:`helpers.local_updates` is divide-and-conquer and local updates on blocks (notebook 04);
- :mod:`helpers.tuning` is model quality on small data: scaling, ridge with an intercept (notebook 03);
- :mod:`helpers.plotting` draws;
- :mod:`helpers.exercises` tells an unfinished exercise from a finished one (``finished``);
- :mod:`helpers.resident` keeps blocks in the Python workers (the benchmark's "under the floor"
  experiment; not imported here, not taught).

Importing the package starts nothing and changes no global state.
"""

from helpers.costmodel import (bytes_to_driver, closed_form_cost, gradient_descent_cost,
                               human_bytes, tree_reduce_partitions)
from helpers.datafiles import DataIntegrityError, DataNotFoundError, locate_millionsong
from helpers.datasets import (load_millionsong, make_regression, millionsong_lines,
                              read_millionsong, split_data, synthetic_blocks, synthetic_points,
                              synthetic_weights, to_blocks, to_points)
from helpers.environment import EnvironmentProblem, check_environment
from helpers.exercises import finished
from helpers.gradient_descent import gd_blocks
from helpers.linreg import (block_gradient, closed_form_blocks, linreg_closed_form,
                            normal_equations, predict, solve_normal_equations)
from helpers.local_updates import (divide_and_conquer_blocks, local_gradient_steps,
                                   local_least_squares, local_updates_blocks,
                                   local_updates_round, round_latency)
from helpers.memory import LECTURE_RATES, Rate, measure_hierarchy
from helpers.meter import CommunicationMeter, agrees_with_model, meter
from helpers.metrics import rmse, rmse_rdd
from helpers.progress import progress
from helpers.session import default_partitions, get_spark, spark_master
from helpers.timing import Timer, loglog_slope, time_it
from helpers.tuning import (collect_xy, ridge_gradient_descent, safe_step, standardize,
                            with_intercept)

__all__ = [
    "agrees_with_model", "block_gradient", "bytes_to_driver", "check_environment",
    "closed_form_blocks", "closed_form_cost", "collect_xy", "CommunicationMeter",
    "DataIntegrityError", "DataNotFoundError", "default_partitions",
    "divide_and_conquer_blocks", "EnvironmentProblem", "finished", "gd_blocks", "get_spark",
    "gradient_descent_cost", "human_bytes", "LECTURE_RATES", "linreg_closed_form",
    "load_millionsong", "local_gradient_steps", "local_least_squares", "local_updates_blocks",
    "local_updates_round", "locate_millionsong", "loglog_slope", "make_regression",
    "measure_hierarchy", "meter", "millionsong_lines", "normal_equations", "predict",
    "progress", "Rate", "read_millionsong", "ridge_gradient_descent", "rmse", "rmse_rdd",
    "round_latency", "safe_step", "solve_normal_equations", "spark_master", "split_data",
    "standardize", "synthetic_blocks", "synthetic_points", "synthetic_weights", "time_it",
    "Timer", "to_blocks", "to_points", "tree_reduce_partitions", "with_intercept",
]
