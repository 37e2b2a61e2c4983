package io.scopekv.bench.fidelity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The texts a fidelity run starts its sequences from: the built-in story openings (written for this
 * project in the style of the TinyStories corpus, so that small story models continue them
 * naturally) or a user's file.
 */
public final class StoryOpenings {

    private static final List<String> BUILT_IN = List.of(
            "Once upon a time, there was a little bear named Ben. Ben liked to sit by the river and watch the fish",
            "One sunny morning, a girl named Mia found a small blue box under her bed. She shook it and heard",
            "Tom had a red kite. Every day after lunch he ran to the hill with his dad to fly it",
            "There was once a tiny frog who lived in a big pond. The frog wanted to see what was on the other side",
            "Lily and her brother Sam were building a tall tower of blocks in the living room. Their cat",
            "It was raining outside, so Anna could not play in the garden. She sat by the window and",
            "A little bird named Pip could not fly yet. His mom said, \"Be patient, Pip. One day you will",
            "Max the dog loved his green ball more than anything. One day the ball rolled under the fence and",
            "In a small town by the sea, there lived an old man who made boats out of wood. Every morning",
            "Sara wanted to bake a cake for her grandma. She asked her mom to help her find the flour and",
            "The sun was going down and the sky was pink and orange. Jack and his friend Lucy were walking home when",
            "Once there was a happy cow who lived on a farm. She liked to eat grass and talk to the sheep",
            "Ben found a shiny stone in the park. He put it in his pocket and ran to show his teacher",
            "Emma had a doll with a yellow dress. One night she could not find the doll anywhere, so she",
            "A big truck came down the street with a loud noise. All the children ran outside to see",
            "Timmy was scared of the dark. When his mom turned off the light, he pulled the blanket over his head and",
            "The little mouse was very hungry. He saw a piece of cheese on the kitchen table, but the cat",
            "On the first day of school, Rosie did not know anyone. She sat alone on a bench until a boy with glasses",
            "Grandpa took Leo to the zoo. They saw a lion, a tall giraffe and a monkey that",
            "There was a magic tree in the forest. If you sang to it, the tree would",
            "Kate and her dad planted seeds in the garden. Every day Kate gave them water and waited to see",
            "A small boat was lost at sea. The sailor looked at the stars and tried to remember",
            "Sam wanted a pet, but his mom said he had to be kind and careful first. So Sam made a plan",
            "It was Lucy's birthday, and she woke up early. She ran down the stairs and saw");

    private StoryOpenings() {
    }

    /** The 24 built-in openings. */
    public static List<String> builtIn() {
        return BUILT_IN;
    }

    /**
     * Openings from a UTF-8 text file, one per line; blank lines and lines starting with {@code #}
     * are skipped.
     *
     * @throws IllegalArgumentException when the file holds no opening
     */
    public static List<String> load(Path file) throws IOException {
        List<String> openings = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        if (openings.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompt: one opening per line, '#' starts a comment");
        }
        return openings;
    }
}
