"""Input and output conversion: numpy / pandas in, the same kind out.

X reaches the engine as a C-contiguous float64 array; a C-contiguous float64 numpy array is passed
as it is (no copy). float32 and other numeric arrays are converted once and the output is cast
back to the input dtype. A pandas DataFrame keeps its column names and dtypes; its categorical
(``category``, ``object``, ``string``) columns are encoded as level codes (in order of first
appearance, as the CLI's CSV reader does) and decoded on the way out. Labels keep their dtype (str, int, bool, ...): the engine sees class codes in
np.unique order, which is the order of its ClassLabels.
"""
import numpy as np

try:  # pandas is optional
    import pandas as pd
except ImportError:  # pragma: no cover
    pd = None


def is_dataframe(X):
    return pd is not None and isinstance(X, pd.DataFrame)


def is_series(y):
    return pd is not None and isinstance(y, pd.Series)


def _categorical_dtype(dtype):
    if pd is None:
        return dtype == object
    return (isinstance(dtype, pd.CategoricalDtype) or dtype == object or pd.api.types.is_string_dtype(dtype))


class Features:
    """X converted for the engine, with what it takes to rebuild the caller's kind of X."""

    def __init__(self, X, who, categorical_features=None):
        self.frame = None
        self.columns = []
        self.levels = []
        self.categorical = []
        if is_dataframe(X):
            self._from_frame(X, who, categorical_features)
        else:
            self._from_array(X, who, categorical_features)
        if self.array.shape[0] == 0:
            raise ValueError(f"{who}: X has no rows; at least one row is required")
        if not np.isfinite(self.array).all():
            raise ValueError(f"{who}: Input contains NaN, infinity or a value too large for dtype('float64')")

    def _from_array(self, X, who, categorical_features):
        if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
            raise TypeError(f"{who}: sparse input is not supported; pass a dense array (X.toarray())")
        arr = np.asarray(X)
        if arr.dtype == object or arr.dtype.kind in "USV":
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"{who}: X must hold numbers; use a pandas DataFrame for categorical columns")
        if arr.dtype.kind == "c":
            raise ValueError(f"{who}: Complex data not supported")
        if arr.ndim != 2:
            raise ValueError(f"{who}: Expected 2D array, got {arr.ndim}D array instead: X must be "
                             f"(n_samples, n_features); reshape a single feature with X.reshape(-1, 1)")
        self.dtype = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float64)
        # No copy when X already is C-contiguous float64.
        self.array = np.ascontiguousarray(arr, dtype=np.float64)
        n = self.array.shape[1]
        self.categorical = list(_categorical_mask(categorical_features, n, None, who))
        self.decoders = {}
        if any(self.categorical):
            # Categorical columns given by position: re-code them 0..L-1 (numeric order, as
            # imbalanced-learn's encoders sort them) and decode on the way out.
            self.array = self.array.copy()
            for j in np.flatnonzero(self.categorical):
                values, codes = np.unique(self.array[:, j], return_inverse=True)
                self.array[:, j] = codes
                self.decoders[j] = values

    def _from_frame(self, X, who, categorical_features):
        self.frame = X
        self.columns = [str(c) for c in X.columns]
        n = X.shape[1]
        auto = [_categorical_dtype(X.dtypes.iloc[j]) for j in range(n)]
        if categorical_features is None:
            mask = auto
        else:
            mask = list(_categorical_mask(categorical_features, n, list(X.columns), who))
        self.categorical = mask
        arr = np.empty((X.shape[0], n), dtype=np.float64)
        self.decoders = {}
        self.levels = []
        for j in range(n):
            col = X.iloc[:, j]
            if mask[j]:
                values = col.astype(object).to_numpy()
                if pd.isna(values).any():
                    raise ValueError(f"{who}: column '{self.columns[j]}' has missing values")
                # Levels in order of first appearance, as the CLI's CSV reader keeps them (the
                # engine re-orders by spelling where a method's result depends on the order).
                codes, uniq = pd.factorize(values, sort=False)
                self.decoders[j] = np.asarray(uniq, dtype=object)
                arr[:, j] = codes
                self.levels.append([str(u) for u in uniq])
            else:
                try:
                    arr[:, j] = col.to_numpy(dtype=np.float64)
                except (TypeError, ValueError):
                    raise ValueError(f"{who}: column '{self.columns[j]}' is not numeric")
                self.levels.append([])
        self.array = arr
        self.dtype = np.dtype(np.float64)

    def rebuild(self, out):
        """The resampled rows in the caller's kind of X."""
        if self.frame is not None:
            data = {}
            for j, name in enumerate(self.frame.columns):
                col = out[:, j]
                dtype = self.frame.dtypes.iloc[j]
                if j in self.decoders:
                    values = self.decoders[j][col.astype(np.int64)]
                    data[name] = pd.Series(values).astype(dtype) if isinstance(dtype, pd.CategoricalDtype) \
                        else pd.Series(values, dtype=dtype if dtype != object else object)
                else:
                    data[name] = pd.Series(col).astype(dtype)
            return pd.DataFrame(data, columns=self.frame.columns)
        if self.decoders:
            out = out.copy()
            for j, values in self.decoders.items():
                out[:, j] = values[out[:, j].astype(np.int64)]
        if out.dtype != self.dtype:
            out = out.astype(self.dtype)
        return out


def _categorical_mask(spec, n, names, who):
    if spec is None:
        return [False] * n
    spec = np.asarray(spec)
    if spec.dtype == bool:
        if spec.shape != (n,):
            raise ValueError(f"{who}: categorical_features as a mask needs {n} entries, got {spec.size}")
        return [bool(v) for v in spec]
    mask = [False] * n
    for v in spec.ravel():
        if isinstance(v, (str, np.str_)):
            if names is None or v not in names:
                raise ValueError(f"{who}: categorical_features names column '{v}', which X does not have")
            mask[names.index(v)] = True
        else:
            j = int(v)
            if not -n <= j < n:
                raise ValueError(f"{who}: categorical_features holds index {j}, out of range for {n} columns")
            mask[j] = True
    return mask


class Labels:
    """y as class codes, with what it takes to give labels back in their own dtype."""

    def __init__(self, y, who, n_rows=None):
        self.series = y if is_series(y) else None
        arr = y.to_numpy() if is_series(y) else np.asarray(y)
        if arr.ndim == 2 and arr.shape[1] == 1:
            import warnings
            warnings.warn("A column-vector y was passed when a 1d array was expected. Please change the shape "
                          "of y to (n_samples,), for example using ravel().", _data_conversion_warning())
            arr = arr.ravel()
        if arr.ndim != 1:
            raise ValueError(f"{who}: y must be 1-D (n_samples,), got shape {arr.shape}")
        if n_rows is not None and arr.shape[0] != n_rows:
            raise ValueError(f"{who}: X has {n_rows} rows but y has {arr.shape[0]} labels; they must match")
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise ValueError(f"{who}: Input y contains NaN or infinity")
        if arr.dtype == object:
            kinds = {type(v) for v in arr}
            if len(kinds) > 1 and not all(issubclass(k, (int, np.integer)) for k in kinds):
                raise TypeError(f"{who}: y mixes label types {sorted(k.__name__ for k in kinds)}")
        self.dtype = arr.dtype
        self.classes, codes = np.unique(arr, return_inverse=True)
        self.codes = np.ascontiguousarray(codes, dtype=np.int32)
        self.numeric = arr.dtype.kind in "iuf"
        self.names = [str(c) for c in self.classes]

    def decode(self, codes):
        out = self.classes[np.asarray(codes)]
        if self.series is not None:
            return pd.Series(out, name=self.series.name, dtype=self.series.dtype)
        return out


def _data_conversion_warning():
    try:
        from sklearn.exceptions import DataConversionWarning
        return DataConversionWarning
    except ImportError:  # pragma: no cover
        return UserWarning
