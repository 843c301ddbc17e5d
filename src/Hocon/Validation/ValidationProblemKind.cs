namespace ActorHost.Hocon;

/// <summary>What is wrong with a setting, compared with the reference configuration.</summary>
public enum ValidationProblemKind
{
    /// <summary>The reference has the setting; the configuration does not.</summary>
    Missing,

    /// <summary>The value has a type the reference's value cannot stand for.</summary>
    WrongType,

    /// <summary>A list holds an element of another type than the reference list's elements.</summary>
    WrongElementType,

    /// <summary>The configuration has a key the reference does not know (only reported where asked for).</summary>
    Unknown,
}
