/** A program that uses scope-core the way an application would, as the module io.scopekv. */
module example.consumer {
    requires io.scopekv;
}
