using Microsoft.Extensions.Configuration;

namespace ActorSync.Hocon.Internal;

/// <summary>
/// Turns a resolved object into Microsoft.Extensions.Configuration's flat keys: <c>a:b:0:c</c>, arrays as indexed
/// keys, empty objects and arrays as a null value (so the section exists), numbers as written. Every key, sections
/// included, remembers the origin of its value.
/// </summary>
internal static class ConfigurationFlattener
{
    public static void Flatten(HoconObject root, IDictionary<string, string?> data, IDictionary<string, HoconOrigin> origins)
    {
        foreach (var (key, value) in root)
        {
            Visit(key, value, data, origins);
        }
    }

    private static void Visit(string key, HoconValue value, IDictionary<string, string?> data, IDictionary<string, HoconOrigin> origins)
    {
        origins[key] = value.Origin;
        switch (value)
        {
            case HoconObject obj:
                if (obj.Count == 0)
                {
                    data[key] = null;
                }

                foreach (var (childKey, child) in obj)
                {
                    Visit(ConfigurationPath.Combine(key, childKey), child, data, origins);
                }

                break;
            case HoconArray array:
                if (array.Count == 0)
                {
                    data[key] = null;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Visit(ConfigurationPath.Combine(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), array[i], data, origins);
                }

                break;
            case HoconNull:
                data[key] = null;
                break;
            default:
                data[key] = value.ToString();
                break;
        }
    }
}
