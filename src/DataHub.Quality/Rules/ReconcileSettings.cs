namespace DataHub.Quality.Rules;

/// <summary>What a reconcile rule compares with what.</summary>
/// <param name="With">The other dataset, <c>schema.table</c> (its current snapshot is read).</param>
/// <param name="On">The key joining a row here to the rows of the other dataset.</param>
/// <param name="Compare">The fields that must agree.</param>
/// <param name="IgnoreMissing">
/// False (the default): a key found on one side only is a failure. True: such keys are counted in the detail only.
/// </param>
public sealed record ReconcileSettings(string With, IReadOnlyList<ReconcileKey> On, IReadOnlyList<ReconcileField> Compare, bool IgnoreMissing = false)
{
    /// <summary>The key columns of this dataset, in order.</summary>
    public IReadOnlyList<string> KeyColumns => On.Select(k => k.Column).ToList();
}
