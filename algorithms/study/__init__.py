"""The emission study (``carbon:emissionstudy``) as a package: the algorithm, its stages, maps and report."""
