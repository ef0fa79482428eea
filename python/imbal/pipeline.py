"""imbal.pipeline: imbalanced-learn's Pipeline (samplers are applied in fit only), re-exported so
`from imbal.pipeline import make_pipeline` works as `from imblearn.pipeline import ...` did. Needs
imbalanced-learn; imbal's samplers also work in it directly."""
try:
    from imblearn.pipeline import Pipeline, make_pipeline  # noqa: F401
except ImportError:  # pragma: no cover
    def _missing(*args, **kwargs):
        raise ImportError("imbal.pipeline needs imbalanced-learn (apt install python3-imblearn)")
    Pipeline = make_pipeline = _missing

__all__ = ["Pipeline", "make_pipeline"]
