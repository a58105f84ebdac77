"""Packages are found, not listed: every folder of nps_kit/ with an __init__.py goes into the wheel.

The bundled report templates and demo data live at the top of the repository (templates/, data/)
and are mapped onto nps_kit.templates and nps_kit.demo_data by pyproject.toml's package-dir.
Everything else about the project is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["nps_kit", "nps_kit.*"]), "nps_kit.templates",
                "nps_kit.demo_data"])
