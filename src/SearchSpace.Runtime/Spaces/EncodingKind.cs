namespace SearchSpaceDsl;

/// <summary>How an architecture becomes a numeric vector for predictors and continuous optimizers.</summary>
public enum EncodingKind
{
    /// <summary>
    /// One number per scalar choice and per layer slot: the value itself for int and double choices, 0/1 for bool,
    /// the choice index for enums; layers beyond the depth are 0 (the HW-GPT-Bench encoding).
    /// </summary>
    Ordinal,
    /// <summary>One indicator per choice of every scalar choice and of every layer slot; inactive layers are all 0.</summary>
    OneHot,
}
